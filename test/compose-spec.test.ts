import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appTokenVariable, daprdImage, sidecarService } from '../scripts/deploy/compose-file.ts';
import { composeCheckBuilt, loadCompose } from '../scripts/deploy/compose-check.ts';
import { functionProcesses } from '../scripts/deploy/function-processes.ts';
import { requireTool } from './support/infra.ts';

const root = new URL('..', import.meta.url).pathname;
const built = composeCheckBuilt();
const ready = requireTool('Compose specification loader (compose-check, built with Go)', built);
const binary = built.ok ? built.path : '';

/** What the operator exports: the README's list, each with a value of its own. */
const secrets = Object.fromEntries(
  [
    'JWT_SECRET',
    'EVENT_SIGNING_KEY',
    'DAPR_API_TOKEN',
    ...functionProcesses.filter((p) => p.handler).map(appTokenVariable),
  ].map((v) => [v, `${v.toLowerCase()}-0123456789abcdef0123456789abcdef`]),
);

describe.runIf(ready)(
  "compose.yaml through the Compose specification's own loader (compose-go, as docker compose)",
  () => {
    const scratch = mkdtemp(join(tmpdir(), 'daprps-compose-'));
    afterAll(async () => rm(await scratch, { recursive: true, force: true }));
    /** compose.yaml changed by `edit`, loaded from a file beside the original (relative paths resolve the same). */
    const loadChanged = async (edit: (yaml: string) => string) => {
      const original = await readFile(join(root, 'compose.yaml'), 'utf8');
      const changed = edit(original);
      expect(changed).not.toBe(original);
      const file = join(await scratch, 'compose.yaml');
      await writeFile(file, changed);
      return loadCompose(binary, file, secrets);
    };

    it("loads it (schema, interpolation, consistency) with every function, and every sidecar in its function's network namespace", () => {
      const load = loadCompose(binary, join(root, 'compose.yaml'), secrets);
      if (!load.ok) throw new Error(load.errors);
      const services = load.project.services;
      for (const p of functionProcesses) {
        expect(services[p.service]?.command.at(-1), p.service).toBe(p.name);
        if (!p.sidecar) continue;
        const sidecar = services[sidecarService(p)];
        expect(sidecar, p.service).toMatchObject({ image: daprdImage, network_mode: `service:${p.service}` });
        expect(sidecar.environment.DAPR_API_TOKEN).toBe(services[p.service].environment.DAPR_API_TOKEN);
        expect(sidecar.environment.APP_API_TOKEN).toBe(services[p.service].environment.APP_API_TOKEN);
        if (p.handler) expect(sidecar.environment.APP_API_TOKEN).toBe(secrets[appTokenVariable(p)]);
      }
      expect(
        Object.keys(services)
          .filter((s) => services[s].image === daprdImage)
          .sort(),
      ).toEqual(
        functionProcesses
          .filter((p) => p.sidecar)
          .map(sidecarService)
          .sort(),
      );
    }, 120_000);

    it('refuses to start without each secret the README says to export, naming it', () => {
      for (const missing of Object.keys(secrets)) {
        const load = loadCompose(
          binary,
          join(root, 'compose.yaml'),
          Object.fromEntries(Object.entries(secrets).filter(([v]) => v !== missing)),
        );
        expect(load.ok, missing).toBe(false);
        expect(!load.ok && load.errors, missing).toMatch(new RegExp(`required variable ${missing} is missing a value`));
      }
    });

    it('refuses a sidecar joining a service that does not exist, an unknown key and a wrong depends_on condition', async () => {
      const cases: [(yaml: string) => string, RegExp][] = [
        [
          (y) => y.replace('network_mode: "service:refund-payment"', 'network_mode: "service:refund-paymnt"'),
          /undefined service "refund-paymnt"/,
        ],
        [(y) => y.replace('    healthcheck:', '    helthcheck:'), /helthcheck/],
        [
          (y) => y.replace('condition: service_started, restart: true', 'condition: service_startd'),
          /condition value must be one of/,
        ],
      ];
      for (const [edit, message] of cases) {
        const load = await loadChanged(edit);
        expect(load.ok, String(message)).toBe(false);
        expect(!load.ok && load.errors).toMatch(message);
      }
    });
  },
);
