import type { Context } from 'hono';
import { ShopError } from '../platform/errors.ts';

/** Request headers not forwarded upstream (hop-by-hop, or recomputed). */
const HOP_BY_HOP = ['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'content-length', 'proxy-connection', 'te'];

/** Forwards the request to `baseUrl` (same path and query), with the request id and a timeout. */
export async function forward(c: Context, baseUrl: string, name: string, timeoutMs: number): Promise<Response> {
  const url = new URL(c.req.url);
  const headers = new Headers(c.req.raw.headers);
  for (const h of HOP_BY_HOP) headers.delete(h);
  headers.set('x-request-id', c.get('requestId'));
  const hasBody = c.req.method !== 'GET' && c.req.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(`${baseUrl}${url.pathname}${url.search}`, {
      method: c.req.method,
      headers,
      body: hasBody ? await c.req.arrayBuffer() : undefined,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
  } catch (cause) {
    if ((cause as Error).name === 'TimeoutError') throw new ShopError('upstream_timeout', `function ${name} did not answer within ${timeoutMs} ms`, undefined, { cause });
    throw new ShopError('unavailable', `function ${name} is unavailable`, undefined, { cause });
  }
  const out = new Headers(upstream.headers);
  for (const h of ['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'content-length']) out.delete(h);
  return new Response(upstream.body, { status: upstream.status, headers: out });
}
