import { Redis } from 'ioredis';
import { ShopError } from '../../platform/errors.ts';
import { ACCEPTED_AFTER_APPLIED_MS } from '../../platform/events/replay-window.ts';
import { MAX_BASKET_LINES, MAX_LINE_QUANTITY, type AddRefused, type BasketLine, type BasketStore } from './store.ts';

/**
 * Each change runs as one Lua script on the user's key (a JSON array of lines in first-added
 * order), so concurrent changes never lose an update. Every write renews the TTL.
 * ARGV: product id, quantity (0 = the whole line), TTL in ms, sign (+1 add, -1 remove); for a
 * bounded add, the stock, most units of a line and most lines: an add past them changes nothing
 * and returns {"refused": "stock" | "line" | "lines", "in_basket": units held}.
 */
const CHANGE = `
local raw = redis.call('GET', KEYS[1])
local lines = raw and cjson.decode(raw) or {}
local pid, qty, ttl, sign = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if sign > 0 and ARGV[5] then
  local held = 0
  for _, line in ipairs(lines) do
    if line.product_id == pid then held = line.quantity end
  end
  local refused
  if held + qty > tonumber(ARGV[5]) then refused = 'stock'
  elseif held + qty > tonumber(ARGV[6]) then refused = 'line'
  elseif held == 0 and #lines >= tonumber(ARGV[7]) then refused = 'lines' end
  if refused then return cjson.encode({ refused = refused, in_basket = held }) end
end
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
type ChangeCommand = (
  key: string,
  productId: string,
  quantity: number,
  ttlMs: number,
  sign: 1 | -1,
  ...bounds: number[]
) => Promise<string>;
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
  const change = (userId: string, productId: string, quantity: number, sign: 1 | -1, ...bounds: number[]) =>
    changeScript(key(userId), productId, quantity, opts.ttlMs, sign, ...bounds).catch((e) =>
      Promise.reject(unavailable(e)),
    );
  return {
    get: async (userId) => parse(await redis.get(key(userId)).catch((e) => Promise.reject(unavailable(e)))),
    add: async (userId, productId, quantity, stock) => {
      const bounds = stock === undefined ? [] : [stock, MAX_LINE_QUANTITY, MAX_BASKET_LINES];
      const answer = JSON.parse(await change(userId, productId, quantity, 1, ...bounds)) as
        | BasketLine[]
        | { refused: AddRefused['refused']; in_basket: number };
      return Array.isArray(answer) ? answer : { refused: answer.refused, inBasket: answer.in_basket };
    },
    remove: async (userId, productId, quantity) => parse(await change(userId, productId, quantity ?? 0, -1)),
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
