import type { Hono } from 'hono';
import { ShopError } from '../errors.ts';
import { loadOnce } from '../load-once.ts';
import type { RpcRoutes } from '../rpc-routes.ts';
import type { RequestVars } from './request-context.ts';

/**
 * Mounts Connect-RPC methods as routes of a Hono app, so Connect and gRPC-Web calls over
 * HTTP/1.1 go through the same middleware as REST (request id, logs, body limit, CORS). The
 * Connect handlers are built on the first RPC call. gRPC needs HTTP/2 trailers, which a fetch
 * Response cannot carry: `serve` handles it.
 */
export function mountConnect(app: Hono<{ Variables: RequestVars }>, rpc: RpcRoutes, readMaxBytes: number): void {
  const handlers = loadOnce(async () => {
    const [{ createConnectRouter }, { createFetchHandler }, routes] = await Promise.all([import('@connectrpc/connect'), import('@connectrpc/connect/protocol'), rpc.load()]);
    const router = createConnectRouter({ readMaxBytes });
    routes(router);
    return new Map(router.handlers.map((handler) => [handler.requestPath, createFetchHandler(handler, { httpVersion: '1.1' })]));
  });
  for (const path of rpc.paths) {
    app.post(path, async (c) => {
      const handle = (await handlers()).get(path);
      if (!handle) throw new ShopError('not_found', `no RPC ${path}`);
      c.req.raw.headers.set('x-request-id', c.get('requestId'));
      return handle(c.req.raw);
    });
  }
}
