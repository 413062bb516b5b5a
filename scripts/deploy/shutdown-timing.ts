import { REQUEST_TIMEOUT_MS } from '../../platform/http/timeouts.ts';
import { SHUTDOWN_GRACE_MS } from '../../platform/shutdown.ts';

/**
 * How a pod of a revision stops, in seconds from its deletion. Knative gives the user container a
 * preStop hook on the queue-proxy's drain endpoint, which answers once no request has arrived for
 * 30 s (`drainSleepDuration`, knative.dev/serving pkg/queue/sharedmain): only then does the app
 * get SIGTERM, and it exits within its own deadline (platform/shutdown.ts). The pod's grace period
 * is the revision's `timeoutSeconds` (pkg/reconciler/revision/resources/deploy.go), and daprd,
 * which has no preStop hook, gets SIGTERM at once.
 */
export const QUEUE_PROXY_DRAIN_SECONDS = 30;

/** The app's deadline after SIGTERM. */
export const APP_GRACE_SECONDS = SHUTDOWN_GRACE_MS / 1000;

/** The longest request the app serves (platform/http/timeouts.ts): Knative must not cut one sooner. */
export const APP_REQUEST_SECONDS = REQUEST_TIMEOUT_MS / 1000;

/** By then the app has exited, however its shutdown went. */
export const APP_DONE_SECONDS = QUEUE_PROXY_DRAIN_SECONDS + APP_GRACE_SECONDS;

/**
 * daprd stops its input bindings at once (no new deliveries to a draining app) but keeps its API
 * up this long (`dapr.io/block-shutdown-duration`), so the app can still publish its outbox until
 * it exits; then its own graceful shutdown (`dapr.io/graceful-shutdown-seconds`, Dapr's default 5).
 */
export const daprShutdown = { blockSeconds: APP_DONE_SECONDS + 5, gracefulSeconds: 5 };

/** Seconds a pod with this sidecar (or none) needs before its grace period may end, margin included. */
export const graceNeeded = (dapr: boolean, marginSeconds = 5): number =>
  Math.max(APP_REQUEST_SECONDS, dapr ? daprShutdown.blockSeconds + daprShutdown.gracefulSeconds : APP_DONE_SECONDS) +
  marginSeconds;
