import { Redis } from 'ioredis';

/** The longest a request waits for the shared rate limit before the process decides alone. */
export const LIMITER_TIMEOUT_MS = 150;

/**
 * A Redis client for the rate limiter that never holds a request up: no offline queue (commands
 * fail at once while disconnected), no retry, and a command timeout. It connects and reconnects
 * in the background, so the gateway starts and serves while Redis is down. Resolves once
 * connected, or after `waitMs` without failing.
 */
export async function openLimiterRedis(url: string, waitMs = 2_000): Promise<Redis> {
  const redis = new Redis(url, {
    commandTimeout: LIMITER_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: waitMs,
  });
  redis.on('error', () => {}); // failures reach the limiter as rejected commands; it warns (throttled) and falls back
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    redis.once('ready', done);
  });
  return redis;
}
