import type { Hono } from 'hono';
import { ShopError } from '../errors.ts';
import { loadOnce } from '../load-once.ts';
import type { RpcRoutes } from '../rpc-routes.ts';
import { grpcWebTrailerStatus, isGrpcWeb } from './answer-status.ts';
import type { RequestVars } from './request-context.ts';

/**
 * What `serve` passes as the app's env with an RPC that came over HTTP/2: gRPC needs HTTP/2
 * trailers, which a fetch Response cannot carry, so the call is served on node's request and
 * response instead, once the middleware let it through. Resolves, once the answer is sent, with a
 * Response that stands for it (status, `grpc-status`) for the middleware that logs and counts.
 */
export interface Http2Rpc {
  serveHttp2Rpc(requestId: string): Promise<Response>;
}

/**
 * Mounts Connect-RPC methods as routes of a Hono app, so every Connect, gRPC and gRPC-Web call,
 * over HTTP/1.1 or HTTP/2, goes through the same middleware as REST (request id, log line,
 * metrics, trace, rate limit, body limit, CORS). The Connect handlers are built on the first RPC
 * call; over HTTP/2, `serve` answers the call itself ({@link Http2Rpc}).
 */
export function mountConnect(app: Hono<{ Variables: RequestVars }>, rpc: RpcRoutes, readMaxBytes: number): void {
  const handlers = loadOnce(async () => {
    const [{ createFetchHandler }, { rpcHandlers }, routes] = await Promise.all([
      import('@connectrpc/connect/protocol'),
      import('./rpc-handlers.ts'),
      rpc.load(),
    ]);
    return new Map(
      [...rpcHandlers(routes, { readMaxBytes })].map(([path, handler]) => [
        path,
        createFetchHandler(handler, { httpVersion: '1.1' }),
      ]),
    );
  });
  for (const path of rpc.paths) {
    app.post(path, async (c) => {
      const http2 = (c.env as Partial<Http2Rpc> | undefined)?.serveHttp2Rpc;
      if (http2) return http2(c.get('requestId'));
      const handle = (await handlers()).get(path);
      if (!handle) throw new ShopError('not_found', `no RPC ${path}`);
      c.req.raw.headers.set('x-request-id', c.get('requestId'));
      const res = await handle(c.req.raw);
      if (!isGrpcWeb(res.headers.get('content-type'))) return res;
      // gRPC-Web sends the call's status in a trailer frame at the end of the body: read it (a
      // unary answer is small) for the log line and metrics.
      const body = new Uint8Array(await res.arrayBuffer());
      const status = grpcWebTrailerStatus(body);
      if (status !== undefined) c.set('grpcStatus', status);
      return new Response(body, res);
    });
  }
}
