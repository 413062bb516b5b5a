import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { routes, serviceName } from '../functions/routes.ts';
import { clusterComponentsFor, kafkaPrefixOf } from '../scripts/k8s/cluster-components.ts';
import { render, toolsInstalled } from '../scripts/k8s/validate.ts';
import { requireTool } from './support/infra.ts';
import { renderProdWith } from './support/prod-settings.ts';

const root = new URL('..', import.meta.url).pathname;
const ready = requireTool('kustomize', toolsInstalled());
const objectsOf = (yaml: string) =>
  parseAllDocuments(yaml)
    .map((d) => d.toJS() as any)
    .filter(Boolean);
const knativeServices = (objects: any[]) =>
  objects.filter((o) => o.kind === 'Service' && o.apiVersion === 'serving.knative.dev/v1');

/** Port names the pods carry, from the sources that make them (knative.dev/serving v0.42.2, dapr v1.16.0). */
const podPorts = {
  // pkg/apis/serving/v1/revision_helpers.go UserPortName: Knative's name for the app container's port.
  'user-port': 8080,
  // pkg/injector/consts SidecarMetricsPortName, on `dapr.io/metrics-port`.
  'dapr-metrics': 9095,
  // pkg/apis/serving/v1 UserQueueMetricsPortName, pkg/networking UserQueueMetricsPort.
  'http-usermetric': 9091,
};
/** The queue-proxy's serving ports (8012 HTTP/1.1, 8013 h2c, 8112 TLS) and its autoscaler metrics (9090). */
const queueProxy = { serving: [8012, 8013, 8112], autoscaler: 9090 };

/** A connection's origin, for NetworkPolicy: a namespace and, in it, a pod's labels. */
interface Source {
  namespace: string;
  labels?: Record<string, string>;
}

const matches = (selector: any, labels: Record<string, string> = {}) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
  (selector?.matchExpressions ?? []).every((e: any) =>
    e.operator === 'In' ? e.values.includes(labels[e.key]) : e.operator === 'Exists' ? e.key in labels : false,
  );

/**
 * Whether the policies of `namespace` let `from` open `port` on a pod with `labels` (NetworkPolicy
 * semantics, ingress).
 */
function admitted(
  policies: any[],
  namespace: string,
  labels: Record<string, string>,
  from: Source,
  port: number,
): boolean {
  const selecting = policies.filter(
    (p) => matches(p.spec.podSelector, labels) && p.spec.policyTypes.includes('Ingress'),
  );
  if (!selecting.length) return true;
  const peerMatches = (peer: any) =>
    peer.namespaceSelector
      ? matches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': from.namespace }) &&
        (!peer.podSelector || matches(peer.podSelector, from.labels))
      : from.namespace === namespace && matches(peer.podSelector, from.labels);
  return selecting.some((p) =>
    (p.spec.ingress ?? []).some(
      (rule: any) =>
        (rule.from ?? []).some(peerMatches) && (!rule.ports || rule.ports.some((q: any) => q.port === port)),
    ),
  );
}

describe.runIf(ready)(
  'prod: one environment apart from the others, rolled out on every change, guarded and scraped',
  () => {
    const dirs: string[] = [];
    afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

    it('gives dev and prod their own Kafka topics and consumer groups, in the apps and in the Dapr components rendered for them', async () => {
      const seen: Record<string, Set<string>> = {};
      for (const overlay of ['dev', 'prod']) {
        const yaml = render(overlay);
        const prefix = kafkaPrefixOf(yaml);
        expect(prefix, overlay).toBe(`daprps-${overlay}.`);
        const dir = await mkdtemp(join(tmpdir(), `daprps-components-${overlay}-`));
        dirs.push(dir);
        expect(await clusterComponentsFor(yaml, dir)).toBe(prefix);
        const components = (
          await Promise.all((await readdir(dir)).map(async (f) => objectsOf(await readFile(join(dir, f), 'utf8'))))
        )
          .flat()
          .filter((o) => o.kind === 'Component');
        const meta = (c: any) => Object.fromEntries(c.spec.metadata.map((m: any) => [m.name, m.value]));
        const names = new Set<string>();
        for (const [name, route] of Object.entries(routes)) {
          if (route.kind !== 'event') continue;
          const binding = meta(components.find((c) => c.metadata.name === route.binding));
          // What the handler's binding route checks `__topic` against, and what the publishers write to.
          expect(binding.topics, route.binding).toBe(`${prefix}${route.topic}`);
          expect(binding.consumerGroup, route.binding).toBe(`${prefix}${serviceName(name)}`);
          names.add(binding.topics).add(binding.consumerGroup);
        }
        const pubsub = meta(components.find((c) => c.spec.type === 'pubsub.kafka'));
        const published = pubsub.publishingScopes.split(';').flatMap((s: string) => s.split('=')[1]!.split(','));
        expect(
          published.every((t: string) => t.startsWith(prefix)),
          published.join(),
        ).toBe(true);
        expect(pubsub.consumerGroup).toBe(`${prefix}{appID}`);
        for (const t of published as string[]) names.add(t);
        seen[overlay] = names;
      }
      expect([...seen.dev!].filter((n) => seen.prod!.has(n))).toEqual([]);
    });

    it('names the settings by a hash of their content, so a change of one makes a new Revision of every Service and a new Job', async () => {
      const before = objectsOf(render('prod'));
      const after = objectsOf(await renderProdWith({ literals: ['LOG_LEVEL=debug'] }));
      const configName = (objects: any[]) => objects.find((o) => o.kind === 'ConfigMap').metadata.name as string;
      expect(configName(before)).toMatch(/^daprps-config-[a-z0-9]{10}$/);
      expect(configName(after)).not.toBe(configName(before));
      for (const objects of [before, after]) {
        const workloads = [...knativeServices(objects), ...objects.filter((o) => o.kind === 'Job')];
        // Every function's Service, the gateway's, the migrate Job and the topics Job.
        expect(workloads).toHaveLength(Object.keys(routes).length + 3);
        for (const w of workloads)
          expect(w.spec.template.spec.containers[0].envFrom, w.metadata.name).toEqual([
            { configMapRef: { name: configName(objects) } },
          ]);
      }
    });

    it('keeps at least one pod of the gateway and of each event handler through a drain, and lets the drain proceed (two pods each)', () => {
      const objects = objectsOf(render('prod'));
      const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
      const alwaysOn = knativeServices(objects).filter(
        (s) => Number(s.spec.template.metadata.annotations['autoscaling.knative.dev/min-scale']) > 0,
      );
      expect(alwaysOn.map((s) => s.metadata.name).sort()).toEqual(
        [
          'gateway',
          ...Object.entries(routes)
            .filter(([, r]) => r.kind === 'event')
            .map(([n]) => serviceName(n)),
        ].sort(),
      );
      expect(budgets).toHaveLength(alwaysOn.length);
      for (const svc of alwaysOn) {
        const budget = budgets.find(
          (b) => b.spec.selector.matchLabels['serving.knative.dev/service'] === svc.metadata.name,
        );
        expect(budget?.spec.minAvailable, svc.metadata.name).toBe(1);
        expect(
          Number(svc.spec.template.metadata.annotations['autoscaling.knative.dev/min-scale']),
          svc.metadata.name,
        ).toBeGreaterThan(budget.spec.minAvailable);
      }
    });

    it('lets only the ingress and the activator (and the gateway) reach functions, only the ingress and the activator reach the gateway, and Prometheus only metrics', () => {
      const objects = objectsOf(render('prod'));
      const ns = 'daprps-prod';
      const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
      const podLabels = (name: string) =>
        knativeServices(objects).find((s) => s.metadata.name === name).spec.template.metadata.labels;
      const gateway = podLabels('gateway');
      const kourier = { namespace: 'kourier-system' };
      const knative = { namespace: 'knative-serving' };
      const monitoring = { namespace: 'monitoring' };
      const stranger = [
        { namespace: 'default' },
        { namespace: ns, labels: podLabels('get-product') },
        { namespace: ns, labels: {} },
        { namespace: 'other', labels: gateway },
      ];
      for (const svc of knativeServices(objects)) {
        const name = svc.metadata.name;
        const labels = svc.spec.template.metadata.labels;
        const may = (from: Source, port: number) => admitted(policies, ns, labels, from, port);
        for (const port of queueProxy.serving) {
          expect(may(kourier, port) && may(knative, port), `${name}:${port}`).toBe(true);
          expect(may({ namespace: ns, labels: gateway }, port), `gateway → ${name}:${port}`).toBe(name !== 'gateway');
          for (const from of stranger) expect(may(from, port), `${JSON.stringify(from)} → ${name}:${port}`).toBe(false);
          expect(may(monitoring, port), `monitoring → ${name}:${port}`).toBe(false);
        }
        expect(may(knative, queueProxy.autoscaler) && !may(kourier, queueProxy.autoscaler), name).toBe(true);
        // The app's port only through the queue-proxy, inside the pod; to Prometheus, the metrics.
        expect(may(kourier, 8080) || may({ namespace: ns, labels: gateway }, 8080), name).toBe(false);
        for (const port of Object.values(podPorts))
          expect(may(monitoring, port), `monitoring → ${name}:${port}`).toBe(true);
      }
      const job = objects.find((o) => o.kind === 'Job').spec.template.metadata.labels;
      expect([kourier, knative, ...stranger].some((from) => admitted(policies, ns, job, from, 8012))).toBe(false);
    });

    it('scrapes the app, daprd and the queue-proxy of every pod by a PodMonitor naming the ports the pods carry, the app with its metrics token', async () => {
      const monitor = parse(await readFile(join(root, 'knative/monitoring/pod-monitor.yaml'), 'utf8'));
      expect(monitor).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor' });
      const metricsToken = { name: 'daprps-metrics-token', key: 'token' };
      // The token to the app only: daprd and the queue-proxy ask for none, and should not see it.
      expect(monitor.spec.podMetricsEndpoints).toEqual([
        { port: 'user-port', path: '/metrics', authorization: { type: 'Bearer', credentials: metricsToken } },
        { port: 'dapr-metrics', path: '/' },
        { port: 'http-usermetric', path: '/metrics' },
      ]);
      for (const svc of knativeServices(objectsOf(render('prod')))) {
        const spec = svc.spec.template.spec;
        // From that Secret, required: a pod without it does not start rather than serve /metrics to anyone.
        expect(
          spec.containers[0].env.find((e: any) => e.name === 'METRICS_TOKEN')?.valueFrom,
          svc.metadata.name,
        ).toEqual({ secretKeyRef: metricsToken });
        expect(matches(monitor.spec.selector, svc.spec.template.metadata.labels), svc.metadata.name).toBe(true);
        expect(spec.containers[0].ports[0].containerPort).toBe(podPorts['user-port']);
        const daprMetrics = svc.spec.template.metadata.annotations['dapr.io/metrics-port'];
        if (daprMetrics) expect(Number(daprMetrics)).toBe(podPorts['dapr-metrics']);
      }
    });
  },
);
