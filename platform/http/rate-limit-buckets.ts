import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { Log } from '../log.ts';
import type { BucketStore } from './buckets.ts';
import { withFallback } from './fallback-buckets.ts';
import { memoryBuckets } from './memory-buckets.ts';
import { redisBuckets } from './redis-buckets.ts';

/**
 * Where the gateway keeps its buckets: with a Redis client (REDIS_URL), in Redis, shared by every
 * replica, with this process's own while Redis fails; without, in this process alone.
 */
export function rateLimitBuckets(
  config: Pick<Config, 'rateLimit' | 'redisPrefix'>,
  log: Log,
  redis?: Redis,
): BucketStore {
  const local = memoryBuckets(config.rateLimit);
  if (!redis) return local;
  return withFallback(redisBuckets(redis, { ...config.rateLimit, prefix: config.redisPrefix }), local, log);
}
