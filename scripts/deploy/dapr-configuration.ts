import type { DaprTarget } from './dapr-targets.ts';
import { GENERATED } from './knative-service.ts';

/** The Configuration `daprps` (tracing and metrics for every sidecar), as YAML text. */
export function configuration(t: DaprTarget): string {
  return [
    GENERATED,
    '# Dapr Configuration `daprps`: tracing and metrics for every sidecar.',
    ...t.configUse.map((l) => `# ${l}`),
    '#',
    "# daprd's metrics port must not be 9090, its default: on Knative the queue-proxy owns 9090",
    '# (and 8012, 8013, 8022, 9091, 8008). Sidecars therefore serve metrics on 9095: started with',
    '# `--metrics-port 9095` locally (9096, 9097, ... for more sidecars on the same host), and',
    '# annotated `dapr.io/metrics-port: "9095"` on Knative.',
    'apiVersion: dapr.io/v1alpha1',
    'kind: Configuration',
    'metadata:',
    '  name: daprps',
    'spec:',
    '  tracing:',
    '    # Every span: fine for development; lower it where traffic is heavy.',
    '    samplingRate: "1"',
    '    zipkin:',
    `      endpointAddress: "${t.zipkin}"`,
    '  metric:',
    '    enabled: true',
    '',
  ].join('\n');
}
