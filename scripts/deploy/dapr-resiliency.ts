import { GENERATED } from './knative-service.ts';

const policy = (direction: 'inbound' | 'outbound') => (component: string) => [
  `      ${component}:`,
  `        ${direction}:`,
  '          timeout: general',
  '          retry: events',
  '          circuitBreaker: events',
];

/**
 * The Resiliency `daprps`: one policy for deliveries of every input binding and for publishes on
 * `pubsub`, as YAML text.
 */
export function resiliency(bindings: string[], pubsub: string): string {
  return [
    GENERATED,
    '# Retries, timeouts and circuit breakers for the components above. daprd applies the targets',
    '# of the components it loads (their scopes decide which), so one file serves every app.',
    'apiVersion: dapr.io/v1alpha1',
    'kind: Resiliency',
    'metadata:',
    '  name: daprps',
    'spec:',
    '  policies:',
    '    timeouts:',
    '      # One delivery to a handler, or one publish: both are a short transaction.',
    '      general: 5s',
    '    retries:',
    '      # Retries before the failure goes back to the Kafka consumer, which (with',
    '      # consumeRetryEnabled) keeps the message uncommitted and tries again.',
    '      events:',
    '        policy: exponential',
    '        maxInterval: 10s',
    '        maxRetries: 10',
    '    circuitBreakers:',
    '      # After 5 consecutive failures stop calling for 30s, then let one call through.',
    '      events:',
    '        maxRequests: 1',
    '        interval: 30s',
    '        timeout: 30s',
    '        trip: consecutiveFailures >= 5',
    '  targets:',
    '    components:',
    "      # inbound: the sidecar delivering an input binding's message to the app.",
    ...bindings.flatMap(policy('inbound')),
    '      # outbound: the sidecar writing to Kafka.',
    ...policy('outbound')(pubsub),
    '',
  ].join('\n');
}
