import type { Log } from './log.ts';

/**
 * On SIGTERM or SIGINT: stop accepting, finish in-flight work via `stop`, then exit; exits with
 * an error after `graceMs` if `stop` has not finished (Knative's default grace is 30 s).
 */
export function onShutdown(log: Log, stop: () => Promise<void>, graceMs = 20_000): void {
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
  process.once('SIGTERM', () => handle('SIGTERM'));
  process.once('SIGINT', () => handle('SIGINT'));
}
