import type { Log } from '../log.ts';
import type { BucketStore } from './buckets.ts';

/** How the fallback behaves; the defaults suit production. */
export interface FallbackOptions {
  /** At most one warning this often, however many requests fall back. */
  warnEveryMs?: number;
  /**
   * After a failure, requests skip the shared store this long (a slow Redis would otherwise cost
   * each request its timeout).
   */
  pauseMs?: number;
  now?: () => number;
}

/**
 * The shared buckets (`shared`), or this process's own (`local`) for a request when the shared
 * store fails or times out, and for `pauseMs` after: the API keeps answering, each replica then
 * limiting on its own. Logs a warning at most every `warnEveryMs`, with how many requests fell back.
 */
export function withFallback(shared: BucketStore, local: BucketStore, log: Log, o: FallbackOptions = {}): BucketStore {
  const now = o.now ?? Date.now;
  const warnEveryMs = o.warnEveryMs ?? 60_000;
  const pauseMs = o.pauseMs ?? 1_000;
  let pausedUntil = 0;
  let warnedAt = -Infinity;
  let fellBack = 0;
  return {
    async take(client) {
      let failure: { err: unknown } | undefined;
      if (now() >= pausedUntil) {
        try {
          return await shared.take(client);
        } catch (err) {
          failure = { err };
          pausedUntil = now() + pauseMs;
        }
      }
      fellBack++;
      if (failure && now() - warnedAt >= warnEveryMs) {
        log.warn(
          { err: failure.err, fell_back: fellBack },
          'rate limit store unavailable: each replica limits on its own until it is back',
        );
        warnedAt = now();
        fellBack = 0;
      }
      return local.take(client);
    },
  };
}
