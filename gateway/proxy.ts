import http from 'node:http';
import type { Context } from 'hono';
import { ShopError } from '../platform/errors.ts';
import { grpcWebTrailerStatus, isGrpcWeb } from '../platform/http/answer-status.ts';
import { injectTraceHeaders } from '../platform/tracing.ts';

/** Request headers not forwarded upstream (hop-by-hop, or recomputed). */
const HOP_BY_HOP = [
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'proxy-connection',
  'te',
];
const RESPONSE_DROPPED = ['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'content-length'];

/** A function's replicas, taken in turn (round robin). */
export interface Upstream {
  name: string;
  urls: string[];
  next: number;
}

/** An upstream over the given replica URLs. */
export const upstream = (name: string, urls: string[]): Upstream => ({ name, urls, next: 0 });

/** Keeps connections to the functions open between calls (node's HTTP client: lighter per call than fetch). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** An upstream answer, read whole (the functions answer small JSON). */
interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  signal: AbortSignal,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Forwards the request (same path and query) to the next replica, with the request id and a
 * timeout, and answers with the replica's answer. A replica that refuses the connection got
 * nothing, so the next one is tried; a timeout is not retried (the call may have run).
 */
export async function forward(c: Context, up: Upstream, timeoutMs: number): Promise<Response> {
  const url = new URL(c.req.url);
  const headers: Record<string, string> = {};
  c.req.raw.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.includes(name)) headers[name] = value;
  });
  headers['x-request-id'] = c.get('requestId');
  injectTraceHeaders(headers);
  const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? undefined : Buffer.from(await c.req.arrayBuffer());
  const signal = AbortSignal.timeout(timeoutMs);
  let lastError: unknown;
  for (let tries = 0; tries < up.urls.length; tries++) {
    const base = up.urls[up.next++ % up.urls.length];
    try {
      const res = await send(`${base}${url.pathname}${url.search}`, c.req.method, headers, body, signal);
      // A gRPC-Web answer's status is in its body's trailer frame: read for this request's log line and metrics.
      if (isGrpcWeb(res.headers['content-type'])) {
        const grpcStatus = grpcWebTrailerStatus(res.body);
        if (grpcStatus !== undefined) c.set('grpcStatus', grpcStatus);
      }
      // Name/value pairs: a header sent several times (set-cookie) stays several headers.
      const out: [string, string][] = [];
      for (const [name, value] of Object.entries(res.headers)) {
        if (value === undefined || RESPONSE_DROPPED.includes(name)) continue;
        for (const v of Array.isArray(value) ? value : [value]) out.push([name, v]);
      }
      return new Response(res.status === 204 || res.status === 304 ? null : res.body, {
        status: res.status,
        headers: out,
      });
    } catch (e) {
      if (signal.aborted) {
        throw new ShopError(
          'upstream_timeout',
          `function ${up.name} did not answer within ${timeoutMs} ms`,
          undefined,
          { cause: e },
        );
      }
      lastError = e;
    }
  }
  throw new ShopError('unavailable', `function ${up.name} is unavailable`, undefined, { cause: lastError });
}
