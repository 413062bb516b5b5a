import type { Log } from './log.ts';

/**
 * How long a process may take to stop after SIGTERM before it exits anyway. On Knative the pod's
 * grace period is the revision's `timeoutSeconds`, and SIGTERM reaches the app only after the
 * queue-proxy has drained (30 s): scripts/deploy/shutdown-timing.ts sets both around this.
 */
export const SHUTDOWN_GRACE_MS = 20_000;

/**
 * On SIGTERM or SIGINT: stop accepting, finish in-flight work via `stop`, then exit; exits with
 * an error after `graceMs` if `stop` has not finished.
 */
export function onShutdown(log: Log, stop: () => Promise<void>, graceMs = SHUTDOWN_GRACE_MS): void {
  let stopping = false;
  const handle = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error({ grace_ms: graceMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, graceMs).unref();
    stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  // Kept after the first signal: a second one during the drain is ignored, not the default kill.
  process.on('SIGTERM', () => handle('SIGTERM'));
  process.on('SIGINT', () => handle('SIGINT'));
}
