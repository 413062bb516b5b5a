import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { routes, serviceName } from '../../functions/routes.ts';

const root = new URL('../..', import.meta.url).pathname;
const cluster = (file: string) => parse(readFileSync(join(root, 'components/cluster', file), 'utf8'));

/** What such an overlay adds: the KafkaSources and the Dapr configuration of the handlers' sidecars. */
const isAdded = (o: any) =>
  o.kind === 'KafkaSource' || (o.kind === 'Configuration' && o.metadata.name === 'daprps-kafkasource');

/**
 * The rules of an overlay that feeds the event handlers with KafkaSources, against the overlay it
 * is based on (`basis`, as rendered): the same objects, but for the handlers' Services (min-scale
 * 0, the Dapr configuration without input bindings), plus that configuration and one KafkaSource
 * per event route: the handler's topic and consumer group under the environment's KAFKA_PREFIX, on
 * the brokers of components/cluster, delivering to the handler's route through its Knative
 * Service, in order, retried.
 */
export function expectSourcesFeedHandlers(objects: any[], basis: any[]): void {
  const handlers = Object.entries(routes)
    .filter(([, r]) => r.kind === 'event')
    .map(([name]) => serviceName(name));
  const isHandler = (o: any) => o.kind === 'Service' && handlers.includes(o.metadata.name);
  expect(objects.filter((o) => !isAdded(o) && !isHandler(o))).toEqual(basis.filter((o) => !isHandler(o)));
  for (const svc of objects.filter(isHandler)) {
    const before = structuredClone(basis.find((o) => isHandler(o) && o.metadata.name === svc.metadata.name));
    Object.assign(before.spec.template.metadata.annotations, {
      'autoscaling.knative.dev/min-scale': '0',
      'dapr.io/config': 'daprps-kafkasource',
    });
    expect(svc, svc.metadata.name).toEqual(before);
  }

  const configuration = objects.find((o) => isAdded(o) && o.kind === 'Configuration');
  expect(configuration.spec).toEqual({ ...cluster('config.yaml').spec, components: { deny: ['bindings.kafka'] } });

  const prefix =
    basis.find((o) => o.kind === 'ConfigMap' && String(o.metadata.name).startsWith('daprps-config'))?.data
      ?.KAFKA_PREFIX ?? '';
  const brokers = cluster('pubsub.yaml').spec.metadata.find((m: { name: string }) => m.name === 'brokers').value;
  const sources = new Map(objects.filter((o) => o.kind === 'KafkaSource').map((o) => [o.metadata.name, o]));
  expect([...sources.keys()].sort()).toEqual([...handlers].sort());
  for (const [name, route] of Object.entries(routes)) {
    if (route.kind !== 'event') continue;
    const source = sources.get(serviceName(name));
    expect(source.metadata.namespace).toBe(configuration.metadata.namespace);
    expect(source.spec, name).toMatchObject({
      bootstrapServers: [brokers],
      topics: [`${prefix}${route.topic}`],
      consumerGroup: `${prefix}${serviceName(name)}`,
      ordering: 'ordered',
      sink: {
        ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: serviceName(name) },
        uri: `/${route.binding}`,
      },
      delivery: { retry: expect.any(Number), backoffPolicy: 'linear' },
    });
    expect(source.spec.delivery.retry).toBeGreaterThanOrEqual(100);
    // The token is set at deploy time (scripts/k8s/source-tokens.ts), never in the repository.
    expect(source.spec.ceOverrides).toBeUndefined();
  }
}
