import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { infraUrls, requireInfra, uniqueName } from '../../test/support/infra.ts';
import { connectRedis, redisBasketStore } from './redis-store.ts';

describe('Redis connections', () => {
  it('fail at start with a message naming Redis, the URL and how to start it', async () => {
    await expect(connectRedis('redis://127.0.0.1:1')).rejects.toThrow(/Redis is unreachable at redis:\/\/127\.0\.0\.1:1 .*npm run infra:up/);
  });
});

describe.runIf(await requireInfra('redis'))('Redis baskets', () => {
  // Connected when the suite runs: a skipped suite's body still runs, and must not dial a Redis that is down.
  let redis: Redis;
  beforeAll(async () => void (redis = await connectRedis(infraUrls.redis)));
  afterAll(() => redis?.disconnect());

  it('keeps one key per user, expiring after the TTL without a change', async () => {
    const prefix = `${uniqueName('ttl')}:`;
    const store = redisBasketStore(redis, { ttlMs: 300, prefix });
    await store.add('u1', 'mug', 1);
    const ttl = await redis.pttl(`${prefix}basket:u1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    await new Promise((r) => setTimeout(r, 400));
    expect(await store.get('u1')).toEqual([]);
  });
});
