import type { Context, MiddlewareHandler } from 'hono';
import { ShopError } from '../errors.ts';
import type { BucketStore } from './buckets.ts';
import { isProbe } from './probes.ts';

/** How requests are limited: where the buckets live, and who a request comes from. */
export interface RateLimitOptions {
  store: BucketStore;
  /** Who a request comes from. */
  clientOf: (c: Context) => string;
}

/**
 * Rate limiting per client with a token bucket (`store`: this process's, or shared by every
 * replica). Over the limit: 429 `rate_limited` with `Retry-After` (seconds until a request would
 * pass). Probes are not limited.
 */
export function rateLimit(o: RateLimitOptions): MiddlewareHandler {
  return async function rateLimit(c, next) {
    if (isProbe(c.req)) return next();
    const taken = await o.store.take(o.clientOf(c));
    if (!taken.allowed) {
      const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
      c.header('Retry-After', String(seconds));
      throw new ShopError('rate_limited', `too many requests from this client; retry in ${seconds} s`);
    }
    await next();
  };
}

/** Longest client identifier kept (an IPv6 address with a zone fits): a forged header cannot make long keys. */
const MAX_CLIENT_LENGTH = 64;

/**
 * The client of a request: the header a trusted ingress sets to the client's address (`header`,
 * e.g. Envoy's x-envoy-external-address), else the address `hops` entries from the right of
 * X-Forwarded-For (the one the outermost trusted proxy saw; `hops` = how many proxies in front
 * append to it), else the socket's peer address.
 */
export function clientAddress(
  hops: number,
  peer: (c: Context) => string | undefined,
  header?: string,
): (c: Context) => string {
  return (c) => {
    const fromIngress = header && c.req.header(header)?.trim();
    if (fromIngress) return fromIngress.slice(0, MAX_CLIENT_LENGTH);
    if (hops > 0) {
      const chain = (c.req.header('x-forwarded-for') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const seen = chain[chain.length - hops];
      if (seen) return seen.slice(0, MAX_CLIENT_LENGTH);
    }
    return peer(c) ?? 'unknown';
  };
}
