import { Redis } from 'ioredis';
import { ShopError } from '../../platform/errors.ts';
import type { BasketLine, BasketStore } from './store.ts';

/**
 * Each change runs as one Lua script on the user's key (a JSON array of lines in first-added
 * order), so concurrent changes never lose an update. Every write renews the TTL.
 * ARGV: product id, quantity (0 = the whole line), TTL in ms, sign (+1 add, -1 remove).
 */
const CHANGE = `
local raw = redis.call('GET', KEYS[1])
local lines = raw and cjson.decode(raw) or {}
local pid, qty, ttl, sign = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local out, found = {}, false
for _, line in ipairs(lines) do
  if line.product_id == pid then
    found = true
    local left = (sign > 0) and (line.quantity + qty) or ((qty == 0) and 0 or (line.quantity - qty))
    if left > 0 then out[#out + 1] = { product_id = pid, quantity = left } end
  else
    out[#out + 1] = line
  end
end
if not found and sign > 0 then out[#out + 1] = { product_id = pid, quantity = qty } end
if #out == 0 then redis.call('DEL', KEYS[1]) return '[]' end
local encoded = cjson.encode(out)
redis.call('SET', KEYS[1], encoded, 'PX', ttl)
return encoded
`;

/**
 * Takes paid lines out of a basket once per event: KEYS[1] the basket, KEYS[2] the event's
 * marker (set first, NX: a second delivery finds it and changes nothing). ARGV: the paid lines
 * as JSON, the basket TTL and the marker TTL in ms. Returns 1 when applied, 0 for a repeat.
 */
const CHECKOUT = `
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[3]) then return 0 end
local raw = redis.call('GET', KEYS[1])
if not raw then return 1 end
local paid = {}
for _, l in ipairs(cjson.decode(ARGV[1])) do paid[l.product_id] = (paid[l.product_id] or 0) + l.quantity end
local out = {}
for _, line in ipairs(cjson.decode(raw)) do
  local left = line.quantity - (paid[line.product_id] or 0)
  if left > 0 then out[#out + 1] = { product_id = line.product_id, quantity = left } end
end
if #out == 0 then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], cjson.encode(out), 'PX', ARGV[2]) end
return 1
`;

/**
 * How long a payment event is remembered as applied to a basket (duplicates arrive within minutes;
 * Kafka keeps a week).
 */
const APPLIED_TTL_MS = 14 * 24 * 3600 * 1000;

/**
 * The scripts as client commands: ioredis sends EVAL once per connection, then EVALSHA (the
 * script's hash, not its text), and EVAL again after NOSCRIPT (a restarted Redis, SCRIPT FLUSH).
 */
const CHANGE_COMMAND = 'daprpsBasketChange';
const CHECKOUT_COMMAND = 'daprpsBasketCheckout';
type ChangeCommand = (key: string, productId: string, quantity: number, ttlMs: number, sign: 1 | -1) => Promise<string>;
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
  redis.defineCommand(CHANGE_COMMAND, { numberOfKeys: 1, lua: CHANGE });
  redis.defineCommand(CHECKOUT_COMMAND, { numberOfKeys: 2, lua: CHECKOUT });
  const changeScript = (redis as unknown as Record<string, ChangeCommand>)[CHANGE_COMMAND]!.bind(redis);
  const checkoutScript = (redis as unknown as Record<string, CheckoutCommand>)[CHECKOUT_COMMAND]!.bind(redis);
  const change = async (userId: string, productId: string, quantity: number, sign: 1 | -1) =>
    parse(
      await changeScript(key(userId), productId, quantity, opts.ttlMs, sign).catch((e) =>
        Promise.reject(unavailable(e)),
      ),
    );
  return {
    get: async (userId) => parse(await redis.get(key(userId)).catch((e) => Promise.reject(unavailable(e)))),
    add: (userId, productId, quantity) => change(userId, productId, quantity, 1),
    remove: (userId, productId, quantity) => change(userId, productId, quantity ?? 0, -1),
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
