import type { Config } from '../platform/config.ts';
import type { Check } from '../platform/health.ts';
import { memoryBasketStore } from './basket/memory-store.ts';
import type { BasketStore } from './basket/store.ts';

/** The basket store, its readiness check and how to close it. */
export interface Baskets {
  baskets: BasketStore;
  check: Check;
  close(): void;
}

/** Redis (`REDIS_URL`, ioredis loaded only then) or else in memory. */
export async function openBaskets(config: Config): Promise<Baskets> {
  if (!config.redisUrl) return { baskets: memoryBasketStore(), check: async () => undefined, close: () => undefined };
  const { connectRedis, redisBasketStore } = await import('./basket/redis-store.ts');
  const redis = await connectRedis(config.redisUrl);
  return {
    baskets: redisBasketStore(redis, { ttlMs: config.basketTtlSeconds * 1000, prefix: config.redisPrefix }),
    check: async () => void (await redis.ping()),
    close: () => redis.disconnect(),
  };
}
