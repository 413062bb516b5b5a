import { getRequestListener } from '@hono/node-server';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { ShopError } from '../errors.ts';
import { loadOnce } from '../load-once.ts';
import type { RpcRoutes } from '../rpc-routes.ts';
import { afterFirstBytes, boundHttp1, boundHttp2, timeoutsOf, type ServeTimeouts } from './timeouts.ts';

/** What a server serves: a fetch handler (Hono), and the Connect-RPC routes to serve gRPC over HTTP/2. */
export interface ServeOptions {
  fetch: (req: Request) => Response | Promise<Response>;
  rpc?: RpcRoutes;
  /** Largest RPC message accepted over HTTP/2. */
  readMaxBytes?: number;
  port: number;
  host: string;
  /** How long idle and slow clients may hold a connection; production defaults for any left out. */
  timeouts?: Partial<ServeTimeouts>;
}

/** A running server. */
export interface Server {
  port: number;
  close(): Promise<void>;
}

const HTTP2_PREFACE = 'PRI * HTTP/2.0';

/**
 * HTTP/2 requests through the Connect node adapter (gRPC, and the fetch handler for the rest),
 * made on the first request: Connect and what it loads are not part of a start.
 */
function lazyConnectListener(rpc: RpcRoutes, fallback: ReturnType<typeof getRequestListener>, readMaxBytes: number | undefined) {
  const listener = loadOnce(async () => {
    const [{ connectNodeAdapter }, routes] = await Promise.all([import('@connectrpc/connect-node'), rpc.load()]);
    return connectNodeAdapter({ routes, fallback: fallback as never, readMaxBytes });
  });
  return (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    listener().then(
      (handle) => handle(req as never, res as never),
      () => res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify(new ShopError('unavailable', 'RPC is unavailable').toJSON())),
    );
  };
}

/**
 * Serves HTTP/1.1 and cleartext HTTP/2 (h2c) on one port: the first bytes of each connection
 * decide which server gets the socket. HTTP/1.1 goes to the fetch handler; HTTP/2 goes to the
 * Connect node adapter for RPCs (gRPC needs trailers), and to the fetch handler otherwise.
 */
export async function serve(opts: ServeOptions): Promise<Server> {
  const fetchListener = getRequestListener(opts.fetch);
  const h1 = http.createServer(fetchListener as http.RequestListener);
  const h2 = http2.createServer({}, opts.rpc ? lazyConnectListener(opts.rpc, fetchListener, opts.readMaxBytes) : (fetchListener as never));
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
        setTimeout(() => sockets.forEach((s) => s.destroy()), 2_000).unref();
      }),
  };
}
