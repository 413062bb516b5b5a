import { getRequestListener } from '@hono/node-server';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { ShopError } from '../errors.ts';
import { loadOnce } from '../load-once.ts';
import type { RpcRoutes } from '../rpc-routes.ts';
import { grpcWebTrailerStatus, isGrpcWeb } from './answer-status.ts';
import type { Http2Rpc } from './connect-on-hono.ts';
import { afterFirstBytes, boundHttp1, boundHttp2, timeoutsOf, type ServeTimeouts } from './timeouts.ts';

/** What a server serves: a fetch handler (Hono), and the Connect-RPC routes to serve gRPC over HTTP/2. */
export interface ServeOptions {
  /** The app; `env` is what node's request comes with (see {@link Http2Rpc} for RPCs over HTTP/2). */
  fetch: (req: Request, env?: object) => Response | Promise<Response>;
  rpc?: RpcRoutes;
  /** Largest RPC message accepted over HTTP/2. */
  readMaxBytes?: number;
  port: number;
  host: string;
  /** How long idle and slow clients may hold a connection; production defaults for any left out. */
  timeouts?: Partial<ServeTimeouts>;
  /** How long `close` lets connections still busy finish before it destroys them (2 s). */
  closeGraceMs?: number;
}

/** A running server. */
export interface Server {
  port: number;
  close(): Promise<void>;
}

const HTTP2_PREFACE = 'PRI * HTTP/2.0';

/**
 * A request with the headers of node's HTTP/2 request and no body: what the middleware sees of an
 * RPC that is served on node's streams.
 */
function headersOnly(req: http2.Http2ServerRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  let url: URL;
  try {
    url = new URL(req.url, `http://${req.authority}`);
  } catch {
    url = new URL(req.url, 'http://localhost');
  }
  return new Request(url, { method: req.method, headers });
}

/**
 * Keeps what is written to `res`, when it answers gRPC-Web (whose status is in the body's trailer
 * frame); unary answers are small.
 */
function keepBody(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  if (!isGrpcWeb(req.headers['content-type'])) return chunks;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (chunk instanceof Uint8Array) chunks.push(chunk);
    return write(chunk, ...rest);
  }) as typeof res.write;
  return chunks;
}

/**
 * A Response standing for what was sent on `res`, for the middleware that logs and counts: its
 * status and `grpc-status` (in the trailers, the headers of a trailers-only answer, or a gRPC-Web
 * body). Never written: the answer is sent already.
 */
function sentAnswer(res: http2.Http2ServerResponse, body: Uint8Array[]): Response {
  const stream = res.stream as http2.ServerHttp2Stream & { sentTrailers?: http2.OutgoingHttpHeaders };
  const grpcStatus =
    stream?.sentTrailers?.['grpc-status'] ??
    stream?.sentHeaders?.['grpc-status'] ??
    (body.length ? grpcWebTrailerStatus(Buffer.concat(body)) : undefined);
  return new Response(null, {
    status: res.headersSent ? res.statusCode : 499,
    headers: grpcStatus === undefined ? {} : { 'grpc-status': String(grpcStatus) },
  });
}

/**
 * Writes an answer of the app to node's HTTP/2 response (middleware refused the RPC: a 429, a 413,
 * an error), dropping the request body.
 */
async function writeAnswer(
  req: http2.Http2ServerRequest,
  res: http2.Http2ServerResponse,
  answer: Response,
): Promise<void> {
  const body = Buffer.from(await answer.arrayBuffer());
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = {};
  for (const [name, value] of answer.headers) headers[name] = value;
  req.resume();
  res.writeHead(answer.status, headers);
  res.end(body);
}

/**
 * HTTP/2 requests: an RPC goes through the app (its middleware: request id, log line, metrics,
 * trace, rate limit) with the headers only, and its route has `serve` answer it with the RPC
 * handlers (rpc-handlers.ts) on node's request and response (gRPC needs trailers); the rest goes to
 * the fetch handler. Connect and what it loads are made on the first RPC: they are not part of a start.
 */
function http2Listener(opts: ServeOptions & { rpc: RpcRoutes }, fallback: ReturnType<typeof getRequestListener>) {
  const paths = new Set(opts.rpc.paths);
  const adapter = loadOnce(async () => {
    const [node, { rpcHandlers }, routes] = await Promise.all([
      import('@connectrpc/connect-node'),
      import('./rpc-handlers.ts'),
      opts.rpc.load(),
    ]);
    const handlers = rpcHandlers(routes, {
      readMaxBytes: opts.readMaxBytes,
      acceptCompression: [node.compressionGzip, node.compressionBrotli],
    });
    return (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
      const handler = handlers.get(req.url.split('?', 1)[0] ?? '');
      if (!handler) return void fallback(req, res);
      handler(node.universalRequestFromNodeRequest(req, res, undefined, undefined))
        .then((answer) => node.universalResponseToNodeResponse(answer, res))
        .catch(() => res.destroy()); // writing failed (the client went away): the stream ends
    };
  });
  return (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    if (req.method !== 'POST' || !paths.has(req.url.split('?', 1)[0] ?? '')) return void fallback(req, res);
    const rpc: Http2Rpc = {
      async serveHttp2Rpc(requestId) {
        const handle = await adapter().catch((e: unknown) =>
          Promise.reject(new ShopError('unavailable', 'RPC is unavailable', undefined, { cause: e })),
        );
        req.headers['x-request-id'] = requestId; // what the RPC handler reads the id from
        res.setHeader('x-request-id', requestId);
        const body = keepBody(req, res);
        if (!res.stream.destroyed) {
          await new Promise<void>((resolve) => {
            res.once('close', resolve); // answered, or the client went away
            handle(req, res);
          });
        }
        return sentAnswer(res, body);
      },
    };
    Promise.resolve()
      .then(() => opts.fetch(headersOnly(req), { incoming: req, outgoing: res, ...rpc }))
      .then((answer) => writeAnswer(req, res, answer))
      .catch(() => {
        if (!res.headersSent && !res.destroyed) res.writeHead(500).end();
      });
  };
}

/**
 * Serves HTTP/1.1 and cleartext HTTP/2 (h2c) on one port: the first bytes of each connection
 * decide which server gets the socket. HTTP/1.1 goes to the fetch handler; HTTP/2 too, except that
 * an RPC is answered on node's request and response once the app's middleware let it through
 * (gRPC needs trailers).
 */
export async function serve(opts: ServeOptions): Promise<Server> {
  const fetchListener = getRequestListener(opts.fetch);
  const h1 = http.createServer(fetchListener as http.RequestListener);
  const h2 = http2.createServer(
    {},
    opts.rpc ? http2Listener({ ...opts, rpc: opts.rpc }, fetchListener) : (fetchListener as never),
  );
  const timeouts = timeoutsOf(opts.timeouts);
  boundHttp1(h1, timeouts);
  boundHttp2(h2, timeouts);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    afterFirstBytes(socket, timeouts.firstByteMs, () => {
      const head: Buffer | null = socket.read(HTTP2_PREFACE.length) ?? socket.read();
      if (head) socket.unshift(head);
      const target = head?.toString('latin1').startsWith(HTTP2_PREFACE) ? h2 : h1;
      target.emit('connection', socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, resolve);
  });
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        h1.close(); // closes its idle connections and stops its timeout checks
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, opts.closeGraceMs ?? 2_000).unref();
      }),
  };
}
