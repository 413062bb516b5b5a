import { registry } from '../../functions/registry.ts';
import { routes, serviceName, type FunctionName } from '../../functions/routes.ts';
import type { DaprTarget } from './dapr-targets.ts';
import { GENERATED } from './knative-service.ts';

/**
 * Which topics each app may publish, in route-table order: an app writing to the outbox may be
 * the one relaying it, so it may publish every outbox topic; an event handler also its dead
 * letters; apps publishing nothing are left out.
 */
export function publishingScopes(): [app: string, topics: string[]][] {
  const names = Object.keys(routes) as FunctionName[];
  const publishes = (name: FunctionName) => registry[name].publishes ?? [];
  const outbox = [...new Set(names.flatMap(publishes))].sort();
  return names
    .map((name): [string, string[]] => [
      serviceName(name),
      [...(publishes(name).length ? outbox : []), ...(routes[name].kind === 'event' ? ['dead-letters'] : [])],
    ])
    .filter(([, topics]) => topics.length);
}

/** The `shop-pubsub` Kafka pub/sub component, scoped to the apps that publish, as YAML text. */
export function pubsub(t: DaprTarget): string {
  const scopes = publishingScopes();
  return [
    GENERATED,
    '# Kafka pub/sub: publishing to any topic through the sidecar (`payment-completed`,',
    '# `payment-refunded`, ...). Dapr wraps a message in a CloudEvent unless it is published with',
    '# content type application/cloudevents+json, in which case our own envelope is kept (Dapr',
    '# adds its tracing fields), so the input bindings can read it either way.',
    'apiVersion: dapr.io/v1alpha1',
    'kind: Component',
    'metadata:',
    '  name: shop-pubsub',
    'spec:',
    '  type: pubsub.kafka',
    '  version: v1',
    '  metadata:',
    '    - name: brokers',
    `      value: "${t.kafka}"`,
    "    # {appID} is replaced by each sidecar's app id: one consumer group per app, should an app",
    '    # ever subscribe here (event handlers consume through the input bindings instead).',
    '    - name: consumerGroup',
    '      value: "{appID}"',
    '    - name: authType',
    '      value: none',
    '    - name: version',
    '      value: "3.9.0"',
    "    # Which topics each app may publish, even with its sidecar's API token. The outbox is one",
    '    # table and any app that writes to it may be the one relaying it, so those apps may publish',
    '    # every outbox topic; an event handler also publishes its dead letters; nothing else.',
    '    - name: publishingScopes',
    `      value: "${scopes.map(([app, topics]) => `${app}=${topics.join(',')}`).join(';')}"`,
    '# The apps that publish: functions writing events (outbox relay), and every event handler,',
    '# which publishes what it gives up on to `dead-letters`.',
    'scopes:',
    ...scopes.map(([app]) => `  - ${app}`),
    '',
  ].join('\n');
}
