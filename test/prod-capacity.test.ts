import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registry } from '../functions/registry.ts';
import { routes, serviceName, type FunctionName } from '../functions/routes.ts';
import { postgres } from '../scripts/deploy/profiles.ts';
import {
  APP_DONE_SECONDS,
  APP_REQUEST_SECONDS,
  daprShutdown,
  graceNeeded,
  QUEUE_PROXY_DRAIN_SECONDS,
} from '../scripts/deploy/shutdown-timing.ts';
import { renderedObjects, toolsInstalled } from '../scripts/k8s/validate.ts';
import { requireTool } from './support/infra.ts';
import { everyService, sidecarServices } from './support/knative-rules.ts';

const root = new URL('..', import.meta.url).pathname;
const ready = requireTool('kustomize', toolsInstalled());

/**
 * The Knative Services and Jobs of the prod overlay, as rendered; every Service there must be, so
 * that a loop over them cannot pass over fewer.
 */
function prod() {
  const objects = renderedObjects('prod');
  const services = objects.filter((o) => o.kind === 'Service' && o.apiVersion === 'serving.knative.dev/v1');
  expect(services.map((s) => s.metadata.name).sort(), 'the Services of the prod overlay').toEqual(everyService);
  return { services, jobs: objects.filter((o) => o.kind === 'Job') };
}

const env = (container: any, name: string): string | undefined =>
  container.env?.find((e: any) => e.name === name)?.value;
const usesDatabase = (container: any) => container.env?.some((e: any) => e.name === 'DATABASE_URL');
const functionOf = (service: string) => (Object.keys(routes) as FunctionName[]).find((n) => serviceName(n) === service);
/** Connections one pod holds besides its pool: one LISTEN where it caches the catalog (pg-listen.ts). */
const listeners = (service: string) => {
  const fn = functionOf(service);
  return fn && 'catalogCache' in registry[fn] && registry[fn].catalogCache ? 1 : 0;
};
/** Kubernetes quantities of CPU (m) and memory (Mi, Gi, MiB), in one unit each. */
const quantity = (q: string) => {
  const [, n, unit = ''] = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(q)!;
  return Number(n) * ({ '': 1000, m: 1, Mi: 1, MiB: 1, Gi: 1024, GiB: 1024 } as Record<string, number>)[unit]!;
};

describe.runIf(ready)('prod: scale, PostgreSQL connections, shutdown and sidecars, as rendered', () => {
  it('bounds every Service: min-scale ≤ max-scale, target ≤ containerConcurrency, a pool no larger than the requests a pod takes', () => {
    for (const svc of prod().services) {
      const name = svc.metadata.name;
      const a = svc.spec.template.metadata.annotations;
      const spec = svc.spec.template.spec;
      const maxScale = Number(a['autoscaling.knative.dev/max-scale']);
      expect(maxScale, name).toBeGreaterThanOrEqual(Math.max(1, Number(a['autoscaling.knative.dev/min-scale'])));
      expect(spec.containerConcurrency, name).toBeGreaterThan(0);
      if (a['autoscaling.knative.dev/target'])
        expect(Number(a['autoscaling.knative.dev/target']), name).toBeLessThanOrEqual(spec.containerConcurrency);
      const c = spec.containers[0];
      if (usesDatabase(c))
        expect(Number(env(c, 'DATABASE_POOL_MAX')), name).toBeLessThanOrEqual(spec.containerConcurrency);
      else expect(env(c, 'DATABASE_POOL_MAX'), name).toBeUndefined();
    }
  });

  it('fits the most connections at once in PostgreSQL: 2 revisions (a rollout) × max-scale × (pool + LISTEN), plus the migrate Job', async () => {
    const { services, jobs } = prod();
    const rows = services
      .filter((svc) => usesDatabase(svc.spec.template.spec.containers[0]))
      .map((svc) => {
        const name = svc.metadata.name as string;
        const maxScale = Number(svc.spec.template.metadata.annotations['autoscaling.knative.dev/max-scale']);
        const pool = Number(env(svc.spec.template.spec.containers[0], 'DATABASE_POOL_MAX'));
        // While a rollout replaces a revision, the old one's pods drain as the new one's start:
        // each revision may be at its max-scale (a change of daprps-config rolls every Service at once).
        return { name, connections: 2 * maxScale * (pool + listeners(name)), maxScale, pool, listen: listeners(name) };
      });
    expect(rows.length).toBe(
      (Object.keys(registry) as FunctionName[]).filter((n) => registry[n].needs.includes('database')).length,
    );
    const job = jobs.find((j) => j.metadata.name === 'daprps-migrate');
    const jobPool = Number(env(job.spec.template.spec.containers[0], 'DATABASE_POOL_MAX'));
    expect(jobPool).toBe(1);
    const total = rows.reduce((sum, r) => sum + r.connections, 0) + jobPool * (job.spec.parallelism ?? 1);
    const budget = postgres.maxConnections - postgres.superuserReserved - postgres.otherClients;
    const table = rows
      .map((r) => `${r.name}: 2 × ${r.maxScale} × (${r.pool} + ${r.listen}) = ${r.connections}`)
      .join('\n');
    expect(total, `${table}\nmigrate Job: ${jobPool}\ntotal ${total} > ${budget}`).toBeLessThanOrEqual(budget);
    // The figure the operator must provide is the one knative/README.md asks for.
    const readme = await readFile(join(root, 'knative/README.md'), 'utf8');
    expect(readme).toContain(`max_connections\` of at least ${postgres.maxConnections}`);
  });

  it("gives every pod a grace period (timeoutSeconds) past the queue-proxy's drain and the app's shutdown, and daprd's where it runs", () => {
    expect(APP_DONE_SECONDS).toBe(QUEUE_PROXY_DRAIN_SECONDS + 20);
    const daprChecked: string[] = [];
    for (const svc of prod().services) {
      const name = svc.metadata.name;
      const a = svc.spec.template.metadata.annotations;
      const timeout = svc.spec.template.spec.timeoutSeconds;
      const dapr = a['dapr.io/enabled'] === 'true';
      // Knative's default max-revision-timeout-seconds.
      expect(timeout, name).toBeLessThanOrEqual(600);
      expect(timeout, name).toBeGreaterThanOrEqual(APP_REQUEST_SECONDS);
      expect(timeout, name).toBeGreaterThanOrEqual(graceNeeded(dapr));
      if (!dapr) continue;
      daprChecked.push(name);
      const block = Number(/^(\d+)s$/.exec(a['dapr.io/block-shutdown-duration'])![1]);
      const graceful = Number(a['dapr.io/graceful-shutdown-seconds']);
      // daprd keeps its API up until the app has exited, then finishes within the grace period.
      expect(block, name).toBeGreaterThanOrEqual(APP_DONE_SECONDS);
      expect([block, graceful], name).toEqual([daprShutdown.blockSeconds, daprShutdown.gracefulSeconds]);
      expect(block + graceful, name).toBeLessThan(timeout);
    }
    expect(daprChecked.sort()).toEqual(sidecarServices);
  });

  it('sizes every Dapr sidecar (requests within limits, a soft memory limit under the hard one) and only where events are used', () => {
    const sized: string[] = [];
    for (const svc of prod().services) {
      const name = svc.metadata.name;
      const a = svc.spec.template.metadata.annotations;
      const fn = functionOf(name);
      expect(a['dapr.io/enabled'] === 'true', name).toBe(!!fn && registry[fn].needs.includes('events'));
      if (a['dapr.io/enabled'] !== 'true') {
        expect(
          Object.keys(a).filter((k) => k.startsWith('dapr.io/')),
          name,
        ).toEqual([]);
        continue;
      }
      sized.push(name);
      expect(quantity(a['dapr.io/sidecar-cpu-request']), name).toBeLessThanOrEqual(
        quantity(a['dapr.io/sidecar-cpu-limit']),
      );
      expect(quantity(a['dapr.io/sidecar-memory-request']), name).toBeLessThanOrEqual(
        quantity(a['dapr.io/sidecar-memory-limit']),
      );
      const goMemLimit = /^GOMEMLIMIT=(\S+)$/.exec(a['dapr.io/env'])![1]!;
      expect(quantity(goMemLimit), name).toBeLessThan(quantity(a['dapr.io/sidecar-memory-limit']));
    }
    expect(sized.sort()).toEqual(sidecarServices);
  });
});
