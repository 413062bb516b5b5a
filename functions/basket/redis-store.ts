import { Redis } from 'ioredis';
import { ShopError } from '../../platform/errors.ts';
import { ACCEPTED_AFTER_APPLIED_MS } from '../../platform/events/replay-window.ts';
import { CHANGE, CHECKOUT } from './redis-scripts.ts';
import {
  IDEMPOTENCY_TTL_MS,
  MAX_BASKET_LINES,
  MAX_LINE_QUANTITY,
  type AddRefused,
  type BasketLine,
  type BasketStore,
} from './store.ts';
import { keyReused } from '../../platform/idempotency.ts';
import { requestOf } from './keyed-change.ts';

/**
 * How long a payment event is remembered as applied to a basket: longer than the pipeline would
 * accept it again (the replay window and the clock skew), by a week. An event offered again
 * after its marker expired is past the window and refused before it reaches the basket.
 */
const APPLIED_TTL_MS = ACCEPTED_AFTER_APPLIED_MS + 7 * 24 * 3600 * 1000;

/**
 * The scripts as client commands: ioredis sends EVAL once per connection, then EVALSHA (the
 * script's hash, not its text), and EVAL again after NOSCRIPT (a restarted Redis, SCRIPT FLUSH).
 */
const CHANGE_COMMAND = 'daprpsBasketChange';
const CHECKOUT_COMMAND = 'daprpsBasketCheckout';
type ChangeCommand = (numberOfKeys: number, ...keysAndArgs: (string | number)[]) => Promise<string>;
type CheckoutCommand = (
  basket: string,
  marker: string,
  lines: string,
  ttlMs: number,
  appliedTtlMs: number,
) => Promise<number>;

/** Options of the Redis basket store. */
export interface RedisBasketOptions {
  /** Abandoned baskets expire after this long without a change. */
  ttlMs: number;
  /** Key prefix (tests use one per file). */
  prefix?: string;
}

/** A Redis client that fails fast while disconnected (so requests get a 503, not a hang). */
function redisClient(url: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: true,
    connectTimeout: 5_000,
  });
  redis.on('error', () => {}); // connection errors reach callers as rejected commands (503); ioredis reconnects
  return redis;
}

const unavailable = (cause: unknown) =>
  new ShopError('unavailable', 'the basket store is unavailable; retry shortly', undefined, { cause });

/** The basket store on Redis: one key per user. */
export function redisBasketStore(redis: Redis, opts: RedisBasketOptions): BasketStore {
  const key = (userId: string) => `${opts.prefix ?? 'daprps:'}basket:${userId}`;
  const appliedKey = (eventId: string) => `${opts.prefix ?? 'daprps:'}basket-applied:${eventId}`;
  const parse = (raw: string | null): BasketLine[] => (raw ? (JSON.parse(raw) as BasketLine[]) : []);
  // The change takes its key's record as a second key only when it has one: no numberOfKeys.
  redis.defineCommand(CHANGE_COMMAND, { lua: CHANGE });
  redis.defineCommand(CHECKOUT_COMMAND, { numberOfKeys: 2, lua: CHECKOUT });
  const changeScript = (redis as unknown as Record<string, ChangeCommand>)[CHANGE_COMMAND]!.bind(redis);
  const checkoutScript = (redis as unknown as Record<string, CheckoutCommand>)[CHECKOUT_COMMAND]!.bind(redis);
  const keyRecord = (userId: string, idempotencyKey: string) =>
    `${opts.prefix ?? 'daprps:'}basket-key:${userId}:${idempotencyKey}`;
  /** Runs the change script (ARGV as redis-scripts.ts says) on the basket and, given a key, its record. */
  const change = async (
    userId: string,
    idempotencyKey: string | undefined,
    request: string,
    argv: (string | number)[],
  ) => {
    const keys = idempotencyKey === undefined ? [key(userId)] : [key(userId), keyRecord(userId, idempotencyKey)];
    const raw = await changeScript(keys.length, ...keys, ...argv, request, IDEMPOTENCY_TTL_MS).catch((e) =>
      Promise.reject(unavailable(e)),
    );
    const answer = JSON.parse(raw) as
      | BasketLine[]
      | { refused: AddRefused['refused']; in_basket: number }
      | { reused: true };
    if ('reused' in answer) throw keyReused();
    return answer;
  };
  return {
    get: async (userId) => parse(await redis.get(key(userId)).catch((e) => Promise.reject(unavailable(e)))),
    add: async (userId, productId, quantity, stock, idempotencyKey) => {
      const bounds = stock === undefined ? ['', '', ''] : [stock, MAX_LINE_QUANTITY, MAX_BASKET_LINES];
      const request = requestOf('add', productId, quantity);
      const answer = await change(userId, idempotencyKey, request, [productId, quantity, opts.ttlMs, 1, ...bounds]);
      return Array.isArray(answer) ? answer : { refused: answer.refused, inBasket: answer.in_basket };
    },
    remove: async (userId, productId, quantity, idempotencyKey) => {
      const request = requestOf('remove', productId, quantity);
      const argv = [productId, quantity ?? 0, opts.ttlMs, -1, '', '', ''];
      return (await change(userId, idempotencyKey, request, argv)) as BasketLine[];
    },
    clear: async (userId) => void (await redis.del(key(userId)).catch((e) => Promise.reject(unavailable(e)))),
    checkout: async (userId, eventId, paid) => {
      const lines = JSON.stringify(paid.map(({ product_id, quantity }) => ({ product_id, quantity })));
      const applied = await checkoutScript(key(userId), appliedKey(eventId), lines, opts.ttlMs, APPLIED_TTL_MS).catch(
        (e) => Promise.reject(unavailable(e)),
      );
      return applied === 1;
    },
  };
}

/** Connects, or fails with a clear message naming what is missing. */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = redisClient(url);
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw new Error(
      `Redis is unreachable at ${url} (${(e as Error).message}); start it with "npm run infra:up" or fix REDIS_URL`,
      { cause: e },
    );
  }
  return redis;
}
