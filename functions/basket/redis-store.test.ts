import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { Redis } from 'ioredis';
import { freePort, infraUrls, requireInfra, uniqueName } from '../../test/support/infra.ts';
import { startRedis } from '../../test/support/private-redis.ts';
import { stopProcess } from '../../test/support/stop-process.ts';
import { ACCEPTED_AFTER_APPLIED_MS } from '../../platform/events/replay-window.ts';
import { connectRedis, redisBasketStore } from './redis-store.ts';
import { IDEMPOTENCY_TTL_MS } from './store.ts';

describe('Redis connections', () => {
  it('fail at start with a message naming Redis, the URL and how to start it', async () => {
    await expect(connectRedis('redis://127.0.0.1:1')).rejects.toThrow(
      /Redis is unreachable at redis:\/\/127\.0\.0\.1:1 .*npm run infra:up/,
    );
  });
});

describe.runIf(await requireInfra('redis'))('Redis baskets', () => {
  // Connected when the suite runs: a skipped suite's body still runs, and must not dial a Redis that is down.
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis(infraUrls.redis);
  });
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

  it('remembers an applied payment event longer than the pipeline would accept it again (replay window and skew)', async () => {
    const prefix = `${uniqueName('applied')}:`;
    const store = redisBasketStore(redis, { ttlMs: 60_000, prefix });
    await store.add('u1', 'mug', 1);
    expect(await store.checkout('u1', 'e1', [{ product_id: 'mug', quantity: 1 }])).toBe(true);
    expect(await redis.pttl(`${prefix}basket-applied:e1`)).toBeGreaterThan(ACCEPTED_AFTER_APPLIED_MS);
    await redis.del(`${prefix}basket-applied:e1`);
  });

  it('keeps an Idempotency-Key for IDEMPOTENCY_TTL_MS, beside the basket, and nothing for a refused add', async () => {
    const prefix = `${uniqueName('key')}:`;
    const store = redisBasketStore(redis, { ttlMs: 60_000, prefix });
    await store.add('u1', 'mug', 1, 5, 'k1');
    const ttl = await redis.pttl(`${prefix}basket-key:u1:k1`);
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(IDEMPOTENCY_TTL_MS);
    expect(await store.add('u1', 'mug', 9, 5, 'k2')).toEqual({ refused: 'stock', inBasket: 1 });
    expect(await redis.exists(`${prefix}basket-key:u1:k2`)).toBe(0);
  });
});

describe.runIf(await requireInfra('redis'))('Redis basket scripts', () => {
  // A private Redis: SCRIPT FLUSH on the shared one would touch other tests' scripts.
  let server: ChildProcess | undefined;
  afterAll(async () => server && stopProcess(server));

  it('are sent whole once per connection, then by hash, and whole again after a SCRIPT FLUSH', async () => {
    const port = await freePort();
    server = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const redis = await connectRedis(url);
    onTestFinished(() => void redis.disconnect());
    const watcher = await new Redis(url).monitor();
    onTestFinished(() => void watcher.disconnect());
    const sent: string[] = [];
    watcher.on('monitor', (_time: string, args: string[]) => {
      const name = args[0]!.toLowerCase();
      if (name === 'eval' || name === 'evalsha')
        sent.push(`${name}${args[1]!.includes('redis.call') ? ' (script)' : ''}`);
    });
    const until = (count: number) =>
      vi.waitFor(() => expect(sent).toHaveLength(count), { timeout: 5_000, interval: 20 });

    const store = redisBasketStore(redis, { ttlMs: 60_000 });
    await store.add('u', 'a', 1);
    await store.add('u', 'a', 2);
    expect(await store.remove('u', 'a', 1)).toEqual([{ product_id: 'a', quantity: 2 }]);
    expect(await store.checkout('u', 'e1', [{ product_id: 'a', quantity: 1 }])).toBe(true);
    expect(await store.checkout('u', 'e1', [{ product_id: 'a', quantity: 1 }])).toBe(false);
    await until(5);
    expect(sent).toEqual(['eval (script)', 'evalsha', 'evalsha', 'eval (script)', 'evalsha']);

    await redis.script('FLUSH');
    expect(await store.add('u', 'b', 1)).toEqual([
      { product_id: 'a', quantity: 1 },
      { product_id: 'b', quantity: 1 },
    ]);
    expect(await store.checkout('u', 'e2', [{ product_id: 'b', quantity: 1 }])).toBe(true);
    await until(9);
    // The hash first, refused with NOSCRIPT, then the script, which Redis keeps again.
    expect(sent.slice(5)).toEqual(['evalsha', 'eval (script)', 'evalsha', 'eval (script)']);
    expect(await store.get('u')).toEqual([{ product_id: 'a', quantity: 1 }]);
  });
});
