import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { topics } from '../functions/events/topics.ts';
import { registry } from '../functions/registry.ts';
import { routes, serviceName, type FunctionName } from '../functions/routes.ts';
import { everyService, expectServicesFollowRoutes, handlerServices, sidecarServices } from './support/knative-rules.ts';

const root = new URL('..', import.meta.url).pathname;

async function docs(dir: string): Promise<{ file: string; doc: any }[]> {
  const files = (await readdir(join(root, dir))).filter((f) => f.endsWith('.yaml'));
  const out = [];
  for (const file of files) {
    for (const d of parseAllDocuments(await readFile(join(root, dir, file), 'utf8'))) out.push({ file, doc: d.toJS() });
  }
  return out;
}

describe('deployment manifests follow the route table', () => {
  it('has one Knative Service per function, running that function, and the gateway', async () => {
    const services = (await docs('knative/base/services')).filter((d) => d.doc?.kind === 'Service').map((d) => d.doc);
    expectServicesFollowRoutes(services, '0');
  });

  it('sends events through the Dapr sidecars on Knative', async () => {
    // knative/base/config.env: the settings kustomize makes into the ConfigMap daprps-config.
    const settings = (await readFile(join(root, 'knative/base/config.env'), 'utf8'))
      .split('\n')
      .filter((l) => /^\w+=/.test(l));
    expect(settings).toContain('EVENT_TRANSPORT=dapr');
  });

  it('runs every function in compose.yaml as its own service behind the gateway, on the same infrastructure', async () => {
    const compose = parse(await readFile(join(root, 'compose.yaml'), 'utf8'), { merge: true, maxAliasCount: -1 });
    // The image's launcher (dist/main.mjs) with a function name serves that function; without one, the gateway.
    const launches = (svc: any) => svc.command?.[0] === 'node' && svc.command?.[1] === 'dist/main.mjs';
    const functionServices = Object.entries(compose.services).filter(
      ([, svc]: [string, any]) => launches(svc) && svc.command.length === 3,
    );
    expect(compose.services.gateway.command).toEqual(['node', 'dist/main.mjs']);
    expect(functionServices.map(([name]) => name).sort()).toEqual(Object.keys(routes).map(serviceName).sort());
    for (const [name, svc] of functionServices as [string, any][]) {
      const fn = Object.keys(routes).find((n) => serviceName(n) === name) as FunctionName;
      expect(svc.command.at(-1)).toBe(fn);
      // What its needs say, as on Knative; no function talks to Kafka itself: its daprd sidecar does.
      const needs: readonly string[] = registry[fn].needs;
      expect(svc.environment.DATABASE_URL, name).toEqual(
        needs.includes('database') ? expect.stringMatching(/^postgres:\/\/[^@]+@postgres:5432\//) : undefined,
      );
      expect(svc.environment.REDIS_URL, name).toEqual(needs.includes('redis') ? 'redis://redis:6379' : undefined);
      expect(svc.environment.EVENT_TRANSPORT, name).toEqual(needs.includes('events') ? 'dapr' : undefined);
      expect(svc.environment.KAFKA_BROKERS, name).toBeUndefined();
    }
    expect(Object.keys(compose.services.gateway.depends_on).sort()).toEqual(
      Object.keys(routes).map(serviceName).sort(),
    );
    expect(['postgres', 'redis', 'kafka', 'zipkin'].every((s) => s in compose.services)).toBe(true);
  });

  it('has a Kafka input binding for every event handler, local and cluster, on its topic and route', async () => {
    for (const dir of ['components/local', 'components/cluster']) {
      const components = new Map(
        (await docs(dir)).filter((d) => d.doc?.kind === 'Component').map((d) => [d.doc.metadata.name, d.doc]),
      );
      for (const [name, route] of Object.entries(routes)) {
        if (route.kind !== 'event') continue;
        const binding = components.get(route.binding);
        expect(binding?.spec.type, `${dir}: ${route.binding}`).toBe('bindings.kafka');
        const meta = Object.fromEntries(
          binding.spec.metadata.map((m: { name: string; value: string }) => [m.name, m.value]),
        );
        expect(meta).toMatchObject({
          topics: route.topic,
          consumeRetryEnabled: 'true',
          consumerGroup: serviceName(name),
        });
        expect(binding.scopes).toEqual([serviceName(name)]);
      }
    }
  });

  it('lets each app publish only what it may relay from the outbox (if it writes to it) and its dead letters (if it handles events)', async () => {
    const names = Object.keys(registry) as FunctionName[];
    const publishes = (name: FunctionName) => (registry[name] as { publishes?: string[] }).publishes ?? [];
    const outboxTopics = [...new Set(names.flatMap(publishes))].sort();
    const expected = Object.fromEntries(
      names
        .map(
          (name) =>
            [
              serviceName(name),
              [
                ...(publishes(name).length ? outboxTopics : []),
                ...(routes[name].kind === 'event' ? ['dead-letters'] : []),
              ],
            ] as const,
        )
        .filter(([, topics]) => topics.length),
    );
    for (const dir of ['components/local', 'components/cluster']) {
      const pubsub = (await docs(dir)).find(
        (d) => d.doc?.kind === 'Component' && d.doc.spec.type === 'pubsub.kafka',
      )!.doc;
      const scopes = pubsub.spec.metadata.find((m: { name: string }) => m.name === 'publishingScopes').value as string;
      const parsed = Object.fromEntries(
        scopes
          .split(';')
          .map((s) => s.split('='))
          .map(([app, topics]) => [app, topics!.split(',')]),
      );
      expect(parsed, dir).toEqual(expected);
      expect([...pubsub.scopes].sort(), dir).toEqual(Object.keys(expected).sort());
    }
  });

  it('gives every sidecar an API token, and every event handler its own app token, from Secrets the app reads too', async () => {
    const services = (await docs('knative/base/services')).filter((d) => d.doc?.kind === 'Service').map((d) => d.doc);
    const withSidecar: string[] = [];
    const withAppToken: string[] = [];
    for (const svc of services) {
      const annotations = svc.spec.template.metadata.annotations ?? {};
      if (annotations['dapr.io/enabled'] !== 'true') continue;
      const name = svc.metadata.name as string;
      withSidecar.push(name);
      const env = Object.fromEntries(
        svc.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.valueFrom?.secretKeyRef]),
      );
      expect(annotations['dapr.io/api-token-secret'], name).toBe('daprps-dapr-api-token');
      expect(env.DAPR_API_TOKEN, name).toEqual({ name: 'daprps-dapr-api-token', key: 'token' });
      const handler = Object.keys(routes).find(
        (n) => serviceName(n) === name && routes[n as FunctionName].kind === 'event',
      );
      if (handler) {
        withAppToken.push(name);
        expect(annotations['dapr.io/app-token-secret'], name).toBe(`daprps-app-token-${name}`);
        expect(env.APP_API_TOKEN, name).toEqual({ name: `daprps-app-token-${name}`, key: 'token' });
      } else {
        expect(annotations['dapr.io/app-token-secret'], name).toBeUndefined();
        expect(env.APP_API_TOKEN, name).toBeUndefined();
      }
    }
    // The loop saw every sidecar the registry implies (the functions that use events) and every event handler.
    expect(withSidecar.sort()).toEqual(sidecarServices);
    expect(withAppToken.sort()).toEqual(handlerServices);
  });

  it('gives every Service, the gateway included, the metrics token the PodMonitor presents, from its own Secret, required', async () => {
    const monitor = parse(await readFile(join(root, 'knative/monitoring/pod-monitor.yaml'), 'utf8'));
    const presented = monitor.spec.podMetricsEndpoints.find((e: any) => e.port === 'user-port').authorization;
    expect(presented).toEqual({ type: 'Bearer', credentials: { name: 'daprps-metrics-token', key: 'token' } });
    const services = (await docs('knative/base/services')).filter((d) => d.doc?.kind === 'Service').map((d) => d.doc);
    expect(services.map((s) => s.metadata.name).sort()).toEqual(everyService);
    for (const svc of services) {
      const env = svc.spec.template.spec.containers[0].env.find((e: any) => e.name === 'METRICS_TOKEN');
      expect(env?.valueFrom, svc.metadata.name).toEqual({ secretKeyRef: presented.credentials });
    }
  });

  it('gives the event signing key to every function that writes or applies events, and to no other', async () => {
    const services = (await docs('knative/base/services')).filter((d) => d.doc?.kind === 'Service').map((d) => d.doc);
    const needsEvents = new Set(sidecarServices);
    expect(needsEvents.size).toBeGreaterThan(0);
    // Every function's Service and the gateway's, so the loop below cannot pass over nothing.
    expect(services.map((s) => s.metadata.name).sort()).toEqual(everyService);
    for (const svc of services) {
      const env = Object.fromEntries(
        svc.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.valueFrom?.secretKeyRef]),
      );
      const name = svc.metadata.name as string;
      if (needsEvents.has(name))
        expect(env.EVENT_SIGNING_KEY, name).toEqual({ name: 'daprps-secrets', key: 'event-signing-key' });
      else expect(env.EVENT_SIGNING_KEY, name).toBeUndefined();
    }
    const compose = parse(await readFile(join(root, 'compose.yaml'), 'utf8'), { merge: true, maxAliasCount: -1 });
    expect(compose.services['process-payment'].environment.EVENT_SIGNING_KEY).toMatch(/^\$\{EVENT_SIGNING_KEY:\?/);
  });

  it("creates every topic of the shop, with the environment's prefix, in the topics Job", async () => {
    const [job] = (await docs('knative/base')).filter((d) => d.doc?.kind === 'Job').map((d) => d.doc);
    const script = job.spec.template.spec.containers[0].args[0] as string;
    expect(/for topic in ([^;]+);/.exec(script)?.[1]?.split(' ')).toEqual(Object.keys(topics));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the Job's shell text, not a template
    expect(script).toContain('--topic "${KAFKA_PREFIX}${topic}"');
    expect(job.spec.template.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: 'daprps-config' } }]);
  });
});
