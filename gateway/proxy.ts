import type { Context } from 'hono';
import { ShopError } from '../platform/errors.ts';
import { injectTraceHeaders } from '../platform/tracing.ts';

/** Request headers not forwarded upstream (hop-by-hop, or recomputed). */
const HOP_BY_HOP = ['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'content-length', 'proxy-connection', 'te'];
const RESPONSE_DROPPED = ['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'content-length'];

/** A function's replicas, taken in turn (round robin). */
export interface Upstream {
  name: string;
  urls: string[];
  next: number;
}

/** An upstream over the given replica URLs. */
export const upstream = (name: string, urls: string[]): Upstream => ({ name, urls, next: 0 });

/**
 * Forwards the request (same path and query) to the next replica, with the request id and a
 * timeout. A replica that refuses the connection got nothing, so the next one is tried; a
 * timeout is not retried (the call may have run).
 */
export async function forward(c: Context, up: Upstream, timeoutMs: number): Promise<Response> {
  const url = new URL(c.req.url);
  const headers = new Headers(c.req.raw.headers);
  for (const h of HOP_BY_HOP) headers.delete(h);
  headers.set('x-request-id', c.get('requestId'));
  injectTraceHeaders(headers);
  const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? undefined : await c.req.arrayBuffer();
  const signal = AbortSignal.timeout(timeoutMs);
  let lastError: unknown;
  for (let tries = 0; tries < up.urls.length; tries++) {
    const base = up.urls[up.next++ % up.urls.length];
    try {
      const res = await fetch(`${base}${url.pathname}${url.search}`, { method: c.req.method, headers, body, signal, redirect: 'manual' });
      const out = new Headers(res.headers);
      for (const h of RESPONSE_DROPPED) out.delete(h);
      return new Response(res.body, { status: res.status, headers: out });
    } catch (e) {
      if ((e as Error).name === 'TimeoutError') {
        throw new ShopError('upstream_timeout', `function ${up.name} did not answer within ${timeoutMs} ms`, undefined, { cause: e });
      }
      lastError = e;
    }
  }
  throw new ShopError('unavailable', `function ${up.name} is unavailable`, undefined, { cause: lastError });
}
