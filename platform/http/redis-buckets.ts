import type { Redis } from 'ioredis';
import { refillMs, type BucketLimits, type BucketStore } from './buckets.ts';

/**
 * One token bucket, refilled and taken from atomically (a hash: tokens, at). KEYS[1] the bucket;
 * ARGV: burst, per minute, TTL in ms. The time is Redis's own (TIME), so replicas whose clocks
 * disagree still share one bucket correctly; a script may write after TIME because scripts are
 * replicated by their effects (the default since Redis 5, the only mode since 7). The TTL drops
 * a bucket once it would be full again. Returns {1, 0} when allowed, {0, ms until a token}.
 */
const TAKE = `
local burst, per_ms = tonumber(ARGV[1]), tonumber(ARGV[2]) / 60000
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(saved[1]) or burst, tonumber(saved[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * per_ms)
local allowed, wait = 0, math.ceil((1 - tokens) / per_ms)
if tokens >= 1 then tokens, allowed, wait = tokens - 1, 1, 0 end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return { allowed, wait }
`;

/** The script as a client command: ioredis sends EVALSHA and falls back to EVAL once per connection. */
const COMMAND = 'daprpsRateLimitTake';
type TakeCommand = (key: string, burst: number, perMinute: number, ttlMs: number) => Promise<[number, number]>;

/** Options of the Redis buckets. */
export interface RedisBucketOptions extends BucketLimits {
  /** Key prefix (REDIS_PREFIX); a bucket is `<prefix>ratelimit:<client>`. */
  prefix: string;
}

/** Token buckets in Redis, shared by every gateway replica: one round trip per request. */
export function redisBuckets(redis: Redis, o: RedisBucketOptions): BucketStore {
  redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: TAKE });
  const take = (redis as unknown as Record<string, TakeCommand>)[COMMAND]!.bind(redis);
  const ttlMs = refillMs(o) + 1_000;
  return {
    async take(client) {
      const [allowed, wait] = await take(`${o.prefix}ratelimit:${client}`, o.burst, o.perMinute, ttlMs);
      return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterMs: wait };
    },
  };
}
