import { createConnectRouter, type ConnectRouter } from '@connectrpc/connect';
import { createFetchHandler } from '@connectrpc/connect/protocol';
import type { Hono } from 'hono';
import type { RequestVars } from './request-context.ts';

/**
 * Mounts Connect-RPC methods as routes of a Hono app, so Connect and gRPC-Web calls over
 * HTTP/1.1 go through the same middleware as REST (request id, logs, body limit, CORS).
 * gRPC needs HTTP/2 trailers, which a fetch Response cannot carry: `serve` handles it.
 */
export function mountConnect(app: Hono<{ Variables: RequestVars }>, routes: (router: ConnectRouter) => void, readMaxBytes: number): void {
  const router = createConnectRouter({ readMaxBytes });
  routes(router);
  for (const handler of router.handlers) {
    const handle = createFetchHandler(handler, { httpVersion: '1.1' });
    app.post(handler.requestPath, (c) => {
      c.req.raw.headers.set('x-request-id', c.get('requestId'));
      return handle(c.req.raw);
    });
  }
}
