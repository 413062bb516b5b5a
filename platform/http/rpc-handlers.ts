import { createConnectRouter, type ConnectRouter, type ConnectRouterOptions } from '@connectrpc/connect';
import type { UniversalHandler, UniversalServerRequest } from '@connectrpc/connect/protocol';
import { remapError, unquotableError } from './rpc-error-answers.ts';

/** Connect's answer to `req`, or the answer to an error it failed to write. */
async function answered(handler: UniversalHandler, req: UniversalServerRequest) {
  try {
    return await handler(req);
  } catch (e) {
    const refused = e instanceof URIError ? unquotableError(req.header.get('content-type')) : undefined;
    if (refused) return refused;
    throw e;
  }
}

/**
 * The handlers of a server's Connect-RPC routes, by path: Connect's, answering every error as
 * toConnectError maps it (rpc-error-answers.ts). Both servers answer RPCs with them (the Hono
 * route, serve's HTTP/2).
 */
export function rpcHandlers(
  routes: (router: ConnectRouter) => void,
  options: ConnectRouterOptions,
): Map<string, UniversalHandler> {
  const router = createConnectRouter(options);
  routes(router);
  return new Map(
    router.handlers.map((handler) => [
      handler.requestPath,
      Object.assign(async (req: UniversalServerRequest) => remapError(await answered(handler, req)), handler),
    ]),
  );
}
