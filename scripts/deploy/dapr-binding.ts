import { registry } from '../../functions/registry.ts';
import { routes, serviceName, type EventRoute, type FunctionName } from '../../functions/routes.ts';
import type { DaprTarget } from './dapr-targets.ts';
import { GENERATED } from './knative-service.ts';
import { comment } from './yaml-comment.ts';

const names = Object.keys(routes) as FunctionName[];

/** The functions that write `topic` to the outbox. */
const publishersOf = (topic: string) => names.filter((n) => (registry[n].publishes ?? []).includes(topic));

/** The event handlers of `topic`. */
const handlersOf = (topic: string) =>
  names.filter((n) => {
    const route: (typeof routes)[FunctionName] = routes[n];
    return route.kind === 'event' && route.topic === topic;
  });

/** `a`, `a and b`, `a, b and c`. */
const list = (items: string[]) =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** The Kafka input binding that delivers an event handler's topic to it, as YAML text. */
export function inputBinding(name: FunctionName, route: EventRoute, t: DaprTarget): string {
  const group = serviceName(name);
  const publishers = publishersOf(route.topic);
  const handlers = handlersOf(route.topic);
  return [
    GENERATED,
    ...comment(
      `Kafka input binding: delivers topic \`${route.topic}\` to ${name}. daprd consumes in its own consumer group` +
        ` and POSTs each message (the CloudEvent JSON that ${list(publishers)} ${publishers.length > 1 ? 'publish' : 'publishes'}` +
        ` through \`shop-pubsub\`) to /${route.binding}: the component name is the route (functions/routes.ts).` +
        ' At start daprd probes that route with OPTIONS (the function answers 200). Answer 200 to commit;' +
        ' anything else is retried.',
    ),
    'apiVersion: dapr.io/v1alpha1',
    'kind: Component',
    'metadata:',
    `  name: ${route.binding}`,
    'spec:',
    '  type: bindings.kafka',
    '  version: v1',
    '  metadata:',
    '    - name: brokers',
    `      value: "${t.kafka}"`,
    '    - name: topics',
    `      value: ${route.topic}`,
    ...comment(
      handlers.length > 1
        ? `One group per handler: ${list(handlers)} each receive every ${route.topic} event.`
        : `Its own group (one per handler), so ${name} receives every ${route.topic} event.`,
      '    ',
    ),
    '    - name: consumerGroup',
    `      value: ${group}`,
    '    - name: authType',
    '      value: none',
    '    # A new group starts at the beginning of the topic, so events published before the',
    "    # handler's first start are not skipped.",
    '    - name: initialOffset',
    '      value: oldest',
    '    # The default ("false") commits past a failed message as soon as a later one succeeds, which',
    '    # loses it. With "true" a failed delivery is retried; the handler is idempotent by event id.',
    '    - name: consumeRetryEnabled',
    '      value: "true"',
    "    # The broker's version (Kafka 3.9 in KRaft mode).",
    '    - name: version',
    '      value: "3.9.0"',
    ...t.bindingScopes.map((l) => `# ${l}`),
    'scopes:',
    `  - ${group}`,
    '',
  ].join('\n');
}
