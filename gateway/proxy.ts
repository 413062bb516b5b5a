import type { Context } from 'hono';
import { ShopError } from '../platform/errors.ts';
import { grpcWebTrailerStatus, isGrpcWeb } from '../platform/http/answer-status.ts';
import { injectTraceHeaders } from '../platform/tracing.ts';
import { Http1Pool } from './http1-client.ts';

/** Request headers not forwarded upstream (hop-by-hop, or recomputed). */
const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'proxy-connection',
  'te',
]);
const RESPONSE_DROPPED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'content-length',
]);

/** A replica: its connections, the Host header it is sent and the path its URL may start with. */
interface Replica {
  pool: Http1Pool;
  authority: string;
  prefix: string;
}

/** A function's replicas, taken in turn (round robin). */
export interface Upstream {
  name: string;
  replicas: Replica[];
  next: number;
}

/** An upstream over the given replica URLs. */
export const upstream = (name: string, urls: string[]): Upstream => ({
  name,
  replicas: urls.map((u) => {
    const url = new URL(u);
    if (url.protocol !== 'http:') throw new Error(`function ${name}: ${u} is not an http:// URL`);
    return {
      pool: new Http1Pool(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port) || 80),
      authority: url.host,
      prefix: url.pathname.replace(/\/$/, ''),
    };
  }),
  next: 0,
});

/** Node's request, when the app runs on node's server (not in `app.request()`). */
type NodeRequest = { headers: Record<string, string | string[] | undefined> };
const nodeRequest = (c: Context): NodeRequest | undefined =>
  (c.env as { incoming?: NodeRequest } | undefined)?.incoming;

/** A header value that would end its line: never from node's parser, refused all the same. */
const LINE_BREAK = /[\r\n\0]/;

/**
 * The request's header lines to forward: the client's, read from node's request where there is
 * one (the web Headers would be built for this alone), minus hop-by-hop ones and HTTP/2
 * pseudo-headers, with `extra` set over them.
 */
function headerLines(c: Context, extra: Record<string, string>): string {
  let lines = '';
  const add = (name: string, value: string) => {
    if (LINE_BREAK.test(value)) throw new ShopError('invalid_argument', `header ${name} has a line break`);
    lines += `${name}: ${value}\r\n`;
  };
  const incoming = nodeRequest(c);
  if (incoming) {
    for (const name in incoming.headers) {
      const value = incoming.headers[name];
      if (value === undefined || name.charCodeAt(0) === 58 /* : */ || HOP_BY_HOP.has(name) || name in extra) continue;
      if (typeof value === 'string') add(name, value);
      else for (const v of value) add(name, v);
    }
  } else
    c.req.raw.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name) && !(name in extra)) add(name, value);
    });
  for (const name in extra) add(name, extra[name]!);
  return lines;
}

/** The path and query of the request (its URL is absolute, and normalised by the server). */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('://') + 3);
  if (start < 0) return '/';
  const hash = url.indexOf('#', start);
  return hash < 0 ? url.slice(start) : url.slice(start, hash);
}

/**
 * Forwards the request (same path and query) to the next replica, with the request id and a
 * timeout, and answers with the replica's answer. A replica that refuses the connection got
 * nothing, so the next one is tried; a timeout is not retried (the call may have run).
 */
export async function forward(c: Context, up: Upstream, timeoutMs: number): Promise<Response> {
  const method = c.req.method;
  const path = pathOf(c.req.url);
  if (/[\s\0]/.test(path)) throw new ShopError('invalid_argument', 'request target has white space'); // never, once normalised
  const extra: Record<string, string> = { 'x-request-id': c.get('requestId') };
  injectTraceHeaders(extra);
  const lines = headerLines(c, extra);
  const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.from(await c.req.arrayBuffer());
  const length = body ? `content-length: ${body.length}\r\n` : '';
  // One deadline for every try: the call in flight is aborted when it passes.
  let abort: ((e: Error) => void) | undefined;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort?.(new Error(`no answer within ${timeoutMs} ms`));
  }, timeoutMs);
  let lastError: unknown;
  try {
    for (let tries = 0; tries < up.replicas.length && !timedOut; tries++) {
      const replica = up.replicas[up.next++ % up.replicas.length]!;
      const head = `${method} ${replica.prefix}${path} HTTP/1.1\r\nhost: ${replica.authority}\r\n${lines}${length}\r\n`;
      const call = replica.pool.request(head, body, method === 'HEAD');
      abort = call.abort;
      try {
        const res = await call.answer;
        // Name/value pairs: a header sent several times (set-cookie) stays several headers.
        const headers = new Headers();
        let contentType: string | undefined;
        for (const [name, value] of res.headers) {
          if (RESPONSE_DROPPED.has(name)) continue;
          if (name === 'content-type') contentType = value;
          headers.append(name, value);
        }
        // A gRPC-Web answer's status is in its body's trailer frame: read for this request's log line and metrics.
        if (isGrpcWeb(contentType)) {
          const grpcStatus = grpcWebTrailerStatus(res.body);
          if (grpcStatus !== undefined) c.set('grpcStatus', grpcStatus);
        }
        return new Response(res.status === 204 || res.status === 304 ? null : res.body, {
          status: res.status,
          headers,
        });
      } catch (e) {
        lastError = e;
      }
    }
  } finally {
    clearTimeout(timer);
  }
  if (timedOut)
    throw new ShopError('upstream_timeout', `function ${up.name} did not answer within ${timeoutMs} ms`, undefined, {
      cause: lastError,
    });
  throw new ShopError('unavailable', `function ${up.name} is unavailable`, undefined, { cause: lastError });
}
