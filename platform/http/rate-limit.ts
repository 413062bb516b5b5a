import type { Context, MiddlewareHandler } from 'hono';
import { ShopError } from '../errors.ts';
import { isProbe } from './probes.ts';

/** How many requests a client may make: a sustained rate and a burst on top. */
export interface RateLimitOptions {
  perMinute: number;
  burst: number;
  /** Who a request comes from. */
  clientOf: (c: Context) => string;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept at most; the ones idle longest (full again anyway) go first. */
const MAX_CLIENTS = 100_000;

/**
 * Rate limiting per client with a token bucket: `burst` requests at once, refilled at
 * `perMinute`. Over the limit: 429 `rate_limited` with `Retry-After` (seconds until a request
 * would pass). Probes are not limited. The buckets live in this process: each gateway replica
 * limits on its own.
 */
export function rateLimit(o: RateLimitOptions): MiddlewareHandler {
  const now = o.now ?? (() => Date.now());
  const perMs = o.perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  return async function rateLimit(c, next) {
    if (isProbe(c.req.path)) return next();
    const client = o.clientOf(c);
    const t = now();
    const b = buckets.get(client) ?? { tokens: o.burst, at: t };
    buckets.delete(client);
    b.tokens = Math.min(o.burst, b.tokens + (t - b.at) * perMs);
    b.at = t;
    buckets.set(client, b);
    if (buckets.size > MAX_CLIENTS) buckets.delete(buckets.keys().next().value!);
    if (b.tokens < 1) {
      const seconds = Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
      c.header('Retry-After', String(seconds));
      throw new ShopError('rate_limited', `too many requests from this client; retry in ${seconds} s`);
    }
    b.tokens -= 1;
    await next();
  };
}

/**
 * The client of a request: the header a trusted ingress sets to the client's address (`header`,
 * e.g. Envoy's x-envoy-external-address), else the address `hops` entries from the right of
 * X-Forwarded-For (the one the outermost trusted proxy saw; `hops` = how many proxies in front
 * append to it), else the socket's peer address.
 */
export function clientAddress(hops: number, peer: (c: Context) => string | undefined, header?: string): (c: Context) => string {
  return (c) => {
    const fromIngress = header && c.req.header(header)?.trim();
    if (fromIngress) return fromIngress;
    if (hops > 0) {
      const chain = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const seen = chain[chain.length - hops];
      if (seen) return seen;
    }
    return peer(c) ?? 'unknown';
  };
}
