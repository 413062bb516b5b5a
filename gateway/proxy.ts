import type { Context } from 'hono';
import { ShopError } from '../platform/errors.ts';
import { grpcWebTrailerStatus, isGrpcWeb } from '../platform/http/answer-status.ts';
import { injectTraceHeaders } from '../platform/tracing.ts';
import type { Pool } from 'undici';
import { call, CallFailed, replicaPool, type Answer } from './upstream-call.ts';

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
  'expect',
]);
const RESPONSE_DROPPED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'content-length',
]);

/** A replica: its connections and the path its URL may start with. */
interface Replica {
  pool: Pool;
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
    return { pool: replicaPool(url.origin), prefix: url.pathname.replace(/\/$/, '') };
  }),
  next: 0,
});

/** Node's request, when the app runs on node's server (not in `app.request()`). */
type NodeRequest = { headers: Record<string, string | string[] | undefined> };
const nodeRequest = (c: Context): NodeRequest | undefined =>
  (c.env as { incoming?: NodeRequest } | undefined)?.incoming;

/**
 * The request's headers to forward, as name/value pairs in turn: the client's, read from node's
 * request where there is one (the web Headers would be built for this alone), minus hop-by-hop
 * ones and HTTP/2 pseudo-headers, with `extra` set over them.
 */
function headerPairs(c: Context, extra: Record<string, string>): string[] {
  const pairs: string[] = [];
  const incoming = nodeRequest(c);
  if (incoming) {
    for (const name in incoming.headers) {
      const value = incoming.headers[name];
      if (value === undefined || name.charCodeAt(0) === 58 /* : */ || HOP_BY_HOP.has(name) || name in extra) continue;
      if (typeof value === 'string') pairs.push(name, value);
      else for (const v of value) pairs.push(name, v);
    }
  } else
    c.req.raw.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name) && !(name in extra)) pairs.push(name, value);
    });
  for (const name in extra) pairs.push(name, extra[name]!);
  return pairs;
}

/** The path and query of the request (its URL is absolute, and normalised by the server). */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('://') + 3);
  if (start < 0) return '/';
  const hash = url.indexOf('#', start);
  return hash < 0 ? url.slice(start) : url.slice(start, hash);
}

/** Methods a replica may be asked again after it got the request: they change nothing. */
const SAFE = new Set(['GET', 'HEAD']);

/**
 * Forwards the request (same path and query) to the next replica, with the request id and a
 * timeout, and answers with the replica's answer. Nothing that may already have run is sent
 * again: a call that failed before any byte of it was written (connection refused or failed)
 * moves on to the next replica; once written, a failure answers 502 (504 past the deadline),
 * except that GET and HEAD may be asked once more.
 */
export async function forward(c: Context, up: Upstream, timeoutMs: number): Promise<Response> {
  const method = c.req.method;
  const path = pathOf(c.req.url);
  if (/[\s\0]/.test(path)) throw new ShopError('invalid_argument', 'request target has white space'); // never, once normalised
  const extra: Record<string, string> = { 'x-request-id': c.get('requestId') };
  injectTraceHeaders(extra);
  const headers = headerPairs(c, extra);
  const body = SAFE.has(method) ? undefined : Buffer.from(await c.req.arrayBuffer());
  // One deadline for every try: the call in flight is aborted when it passes.
  let abort: ((e: Error) => void) | undefined;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort?.(new Error(`no answer within ${timeoutMs} ms`));
  }, timeoutMs);
  let lastError: unknown;
  let unreached = 0;
  let askedAgain = false;
  try {
    while (!timedOut) {
      const replica = up.replicas[up.next++ % up.replicas.length]!;
      const attempt = call(replica.pool, { method, path: `${replica.prefix}${path}`, headers, body });
      abort = attempt.abort;
      try {
        return answerWith(c, await attempt.answer);
      } catch (e) {
        lastError = e;
        const sent = !(e instanceof CallFailed) || e.sent;
        // Never reached its replica: the next one may have it, until every one was tried.
        if (!sent && ++unreached < up.replicas.length) continue;
        if (sent && SAFE.has(method) && !askedAgain) {
          askedAgain = true;
          continue;
        }
        break;
      }
    }
  } finally {
    clearTimeout(timer);
  }
  if (timedOut)
    throw new ShopError('upstream_timeout', `function ${up.name} did not answer within ${timeoutMs} ms`, undefined, {
      cause: lastError,
    });
  if (lastError instanceof CallFailed && lastError.sent)
    throw new ShopError(
      'bad_gateway',
      `function ${up.name} failed during the call, which may have run: ask again with the same Idempotency-Key`,
      undefined,
      { cause: lastError },
    );
  throw new ShopError('unavailable', `function ${up.name} is unavailable`, undefined, { cause: lastError });
}

/** The replica's answer, as the gateway's. */
function answerWith(c: Context, res: Answer): Response {
  const headers = new Headers();
  let contentType: string | undefined;
  for (const name in res.headers) {
    const value = res.headers[name];
    if (value === undefined || RESPONSE_DROPPED.has(name)) continue;
    if (typeof value === 'string') {
      if (name === 'content-type') contentType = value;
      headers.append(name, value);
    } else for (const v of value) headers.append(name, v); // set-cookie stays several headers
  }
  // A gRPC-Web answer's status is in its body's trailer frame: read for this request's log line and metrics.
  if (isGrpcWeb(contentType)) {
    const grpcStatus = grpcWebTrailerStatus(res.body);
    if (grpcStatus !== undefined) c.set('grpcStatus', grpcStatus);
  }
  return new Response(res.status === 204 || res.status === 304 ? null : res.body, { status: res.status, headers });
}
