import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { localResources } from '../scripts/dapr/components.ts';
import { composeComponents, composeComponentsDir } from '../scripts/deploy/compose-components.ts';
import { daprdImage } from '../scripts/deploy/compose-file.ts';
import { processEnvNames } from '../scripts/deploy/function-processes.ts';
import { planTopology, type PlannedProcess } from '../scripts/topology-plan.ts';
import { localInfraEnv } from '../scripts/topology.ts';

const root = new URL('..', import.meta.url).pathname;
const compose = parse(await readFile(join(root, 'compose.yaml'), 'utf8'), { merge: true, maxAliasCount: -1 });
const services = compose.services as Record<string, any>;

// `task dapr:up` as scripts/dapr/up.ts starts it, planned rather than started, under an operator
// who exported every variable a function may get (none may leak to a function that needs none).
const resourcesDir = await mkdtemp(join(tmpdir(), 'daprps-dapr-up-'));
const resources = await localResources(resourcesDir, { brokers: localInfraEnv({}).KAFKA_BROKERS, prefix: '' });
const operator = {
  EVENT_SIGNING_KEY: 'operator-signing-key-0123456789abcdef',
  APP_API_TOKEN: 'operator-app-token',
  DAPR_API_TOKEN: 'operator-api-token',
  EVENT_TRANSPORT: 'kafka',
};
const plan = planTopology({ env: localInfraEnv({}), gatewayPort: 8080, dapr: resources }, operator);

const planned = (kind: PlannedProcess['kind']) => plan.processes.filter((p) => p.kind === kind);
/** Compose's function containers (the image's launcher told a function's name), by service. */
const composeFunctions = Object.fromEntries(
  Object.entries(services).filter(([, s]) => s.command?.[1] === 'dist/main.mjs' && s.command.length === 3),
);
/** Compose's daprd sidecars, by the service whose network namespace they share. */
const composeSidecars = Object.fromEntries(
  Object.values(services)
    .filter((s) => s.image === daprdImage)
    .map((s) => [String(s.network_mode).replace(/^service:/, ''), s]),
);
/** The names among {@link processEnvNames} an environment has, sorted. */
const conditional = (env: Record<string, unknown>) =>
  Object.keys(env ?? {})
    .filter((n) => (processEnvNames as readonly string[]).includes(n))
    .sort();
/** daprd's flags with the values that differ by design (ports, which follow the function's own; paths) left out. */
const sidecarFlags = (args: string[]) => {
  const local = new Set([
    '--app-port',
    '--dapr-http-port',
    '--dapr-grpc-port',
    '--dapr-internal-grpc-port',
    '--metrics-port',
    '--resources-path',
    '--config',
  ]);
  return args.map((a, i) => (local.has(args[i - 1]!) ? '*' : a));
};
const argOf = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

afterAll(() => rm(resourcesDir, { recursive: true, force: true }));

describe('task dapr:up and compose.yaml describe the same topology', () => {
  it('run the same functions, each its own process', () => {
    const functions = planned('function');
    expect(functions.map((p) => p.fn!.service).sort()).toEqual(Object.keys(composeFunctions).sort());
    for (const p of functions) expect(composeFunctions[p.fn!.service].command.at(-1), p.name).toBe(p.args.at(-1));
  });

  it('run a daprd sidecar beside the same functions, with the same app id and flags (metrics never on 9090)', () => {
    const sidecars = planned('sidecar');
    expect(sidecars.map((p) => p.fn!.service).sort()).toEqual(Object.keys(composeSidecars).sort());
    expect(sidecars.length).toBeGreaterThan(0);
    for (const p of sidecars) {
      const args = composeSidecars[p.fn!.service].command.slice(1) as string[];
      expect(argOf(args, '--app-id')).toBe(p.fn!.service);
      expect(argOf(p.args, '--app-id')).toBe(p.fn!.service);
      expect(sidecarFlags(args), p.name).toEqual(sidecarFlags(p.args));
      expect([argOf(args, '--metrics-port'), argOf(p.args, '--metrics-port')]).not.toContain('9090');
    }
  });

  it('give each function and each sidecar the same variables of what it needs (stores, event transport, signing key, tokens)', () => {
    for (const p of [...planned('function'), ...planned('sidecar')]) {
      const service = p.kind === 'sidecar' ? composeSidecars[p.fn!.service] : composeFunctions[p.fn!.service];
      expect(conditional(service.environment), p.name).toEqual(conditional(p.env));
      if (p.env.EVENT_TRANSPORT)
        expect([p.env.EVENT_TRANSPORT, service.environment.EVENT_TRANSPORT], p.name).toEqual(['dapr', 'dapr']);
    }
  });

  it("share the tokens between a function and its sidecar only, a handler's app token its own", () => {
    const handlerTokens = new Set<string>();
    for (const sidecar of planned('sidecar')) {
      const fn = planned('function').find((p) => p.fn === sidecar.fn)!;
      const [composeFn, composeSidecar] = [
        composeFunctions[fn.fn!.service].environment,
        composeSidecars[fn.fn!.service].environment,
      ];
      for (const token of ['APP_API_TOKEN', 'DAPR_API_TOKEN'] as const) {
        expect(sidecar.env[token], `${sidecar.name} ${token}`).toBe(fn.env[token]);
        expect(composeSidecar[token], `${sidecar.name} ${token}`).toBe(composeFn[token]);
        if (composeFn[token] !== undefined) expect(composeFn[token]).toMatch(/^\$\{[A-Z_]+:\?/);
      }
      if (composeFn.APP_API_TOKEN) handlerTokens.add(composeFn.APP_API_TOKEN);
    }
    expect(handlerTokens.size).toBe(planned('function').filter((p) => p.fn!.handler).length);
  });

  it('load the same Dapr resources (names, types, scopes, metadata, resiliency, configuration) but for the addresses', async () => {
    for (const sidecar of Object.values(composeSidecars)) {
      expect(sidecar.volumes).toEqual([`./${composeComponentsDir}:/components:ro`]);
      expect([argOf(sidecar.command, '--resources-path'), argOf(sidecar.command, '--config')]).toEqual([
        '/components',
        '/components/config.yaml',
      ]);
    }
    const read = async (dir: string) => {
      const out: unknown[] = [];
      for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort()) {
        for (const doc of parseAllDocuments(await readFile(join(dir, file), 'utf8')))
          out.push({ file, resource: withoutAddresses(doc.toJS()) });
      }
      return out;
    };
    expect(await read(join(root, composeComponentsDir))).toEqual(await read(resources.resourcesPath));
  });

  it('mount a folder holding only the generated resources', async () => {
    expect((await readdir(join(root, composeComponentsDir))).map((f) => `${composeComponentsDir}/${f}`).sort()).toEqual(
      [...composeComponents().keys()].sort(),
    );
  });
});

/**
 * A Dapr resource with its Kafka brokers and Zipkin endpoint blanked: what may differ between a
 * machine and compose.
 */
function withoutAddresses(resource: any): unknown {
  const copy = structuredClone(resource);
  for (const m of copy.spec?.metadata ?? []) if (m.name === 'brokers') m.value = '<brokers>';
  if (copy.spec?.tracing?.zipkin) copy.spec.tracing.zipkin.endpointAddress = '<zipkin>';
  return copy;
}
