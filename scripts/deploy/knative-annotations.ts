import type { Profile } from './profiles.ts';
import { daprShutdown } from './shutdown-timing.ts';

/** What kind of Service a set of scale annotations is for. */
export type ScaleKind = 'function' | 'event-handler' | 'gateway';

/**
 * The autoscaling annotations of a revision, as YAML lines: its floor by kind, its ceiling and
 * target from the profile.
 */
export const scaleAnnotations = (kind: ScaleKind, p: Profile) => [
  ...(kind === 'event-handler'
    ? [
        '        # Never zero: Dapr input bindings consume inside the sidecar, so at zero replicas nothing',
        '        # consumes the topic and nothing wakes the service (deliveries go from daprd to the app',
        '        # directly, not through Knative, whose autoscaler therefore sees no traffic here and',
        '        # keeps this at min-scale). The scale-from-zero alternative is a Knative KafkaSource',
        '        # pushing events through the Knative route.',
        '        autoscaling.knative.dev/min-scale: "1"',
      ]
    : kind === 'gateway'
      ? [
          '        # dev: scale to zero; prod keeps pods warm (overlays/prod).',
          '        autoscaling.knative.dev/min-scale: "0"',
        ]
      : [
          '        # Scale to zero when idle; the activator holds requests while a pod starts.',
          '        autoscaling.knative.dev/min-scale: "0"',
        ]),
  '        # The ceiling of one revision (scripts/deploy/profiles.ts; with a database, sized with its',
  "        # pool so that every pod at once fits in PostgreSQL's connections).",
  `        autoscaling.knative.dev/max-scale: "${p.maxScale}"`,
  ...(kind === 'event-handler'
    ? []
    : [
        '        # Concurrent requests per pod the autoscaler aims at, below containerConcurrency.',
        `        autoscaling.knative.dev/target: "${p.target}"`,
        '        # Keep a pod 30s after traffic drops, so a burst does not pay a cold start each time.',
        '        autoscaling.knative.dev/scale-down-delay: "30s"',
      ]),
];

/** The Dapr sidecar's annotations: only for a function that uses events (the only Dapr API it calls). */
export const daprAnnotations = (service: string, handler: boolean, p: Profile) => [
  '        dapr.io/enabled: "true"',
  `        dapr.io/app-id: ${service}`,
  '        dapr.io/app-port: "8080"',
  '        dapr.io/config: daprps',
  "        # The sidecar's API answers only callers presenting this token (DAPR_API_TOKEN below): no",
  '        # other container or pod can publish events through it.',
  '        dapr.io/api-token-secret: daprps-dapr-api-token',
  ...(handler
    ? [
        '        # daprd presents this token (APP_API_TOKEN below) with every delivery; the event route',
        '        # refuses any caller without it (docs/security.md).',
        `        dapr.io/app-token-secret: daprps-app-token-${service}`,
      ]
    : []),
  '        dapr.io/enable-metrics: "true"',
  "        # Not daprd's default 9090: Knative's queue-proxy listens there.",
  '        dapr.io/metrics-port: "9095"',
  `        dapr.io/sidecar-cpu-request: ${p.sidecar.requests.cpu}`,
  `        dapr.io/sidecar-memory-request: ${p.sidecar.requests.memory}`,
  `        dapr.io/sidecar-cpu-limit: ${p.sidecar.limits.cpu}`,
  `        dapr.io/sidecar-memory-limit: ${p.sidecar.limits.memory}`,
  `        dapr.io/env: "GOMEMLIMIT=${p.sidecar.goMemLimit}"`,
  '        dapr.io/sidecar-seccomp-profile-type: RuntimeDefault',
  "        # On the pod's deletion daprd stops its input bindings at once but keeps its API up until",
  "        # the app has surely exited (the queue-proxy's drain, then the app's own shutdown), so the",
  '        # outbox can still be published; then it has its own graceful shutdown. Both fit in',
  "        # timeoutSeconds, the pod's grace period (scripts/deploy/shutdown-timing.ts).",
  `        dapr.io/block-shutdown-duration: ${daprShutdown.blockSeconds}s`,
  `        dapr.io/graceful-shutdown-seconds: "${daprShutdown.gracefulSeconds}"`,
];
