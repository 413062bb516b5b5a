import { fromJson, toJson, type DescMethodUnary, type JsonValue, type Message } from '@bufbuild/protobuf';
import { Code, type ConnectError, type ConnectRouter, type HandlerContext } from '@connectrpc/connect';
import { trace } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import { toConnectError } from './connect-errors.ts';
import { ShopError } from './errors.ts';
import { httpStatusOfRpcCode } from './http/answer-status.ts';
import type { Invoker } from './invoker.ts';
import type { Log } from './log.ts';
import { traceFields } from './tracing.ts';

/**
 * Logs a failed call: a server failure at error with its cause's stack (as a REST 5xx is); a
 * caller's error (not found, invalid, unauthenticated…) at info with its code and message only:
 * it is an answer, not a fault.
 */
function logFailure(log: Log, err: ConnectError): void {
  const shop = err.cause instanceof ShopError ? err.cause : undefined;
  const code = shop?.code ?? Code[err.code];
  // A failure of the server's own: HTTP 5xx, for a ShopError or (in the Connect protocol) its code.
  if ((shop ? shop.status : httpStatusOfRpcCode(err.code)) >= 500)
    log.error({ code, err: shop?.cause ?? err.cause ?? err }, 'rpc failed');
  else log.info({ code, message: err.rawMessage }, 'rpc failed');
}

/** Serves a function as a unary Connect-RPC method: protobuf in, the same invoker, protobuf out. */
export function mountRpc(router: ConnectRouter, method: DescMethodUnary, invoke: Invoker, log: Log): void {
  router.rpc(method, async (request: Message, ctx: HandlerContext) => {
    const requestId = ctx.requestHeader.get('x-request-id') ?? randomUUID();
    const span = trace.getActiveSpan(); // the request's server span
    const child = log.child({
      request_id: requestId,
      ...(span ? traceFields(span) : {}),
      rpc: `${method.parent.typeName}/${method.name}`,
    });
    try {
      const raw = toJson(method.input, request, { useProtoFieldName: true, alwaysEmitImplicit: true });
      const output = await invoke(raw, ctx.requestHeader.get('authorization') ?? undefined, { requestId, log: child });
      ctx.responseHeader.set('x-request-id', requestId);
      return fromJson(method.output, (output ?? {}) as JsonValue);
    } catch (e) {
      const err = toConnectError(e);
      logFailure(child, err);
      throw err;
    }
  });
}
