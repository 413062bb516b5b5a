import { fromJson, toJson, type DescMethodUnary } from '@bufbuild/protobuf';
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from '@connectrpc/connect';
import { randomUUID } from 'node:crypto';
import { errorTable, toShopError } from './errors.ts';
import type { Invoker } from './invoker.ts';
import type { Log } from './log.ts';

/** Turns a thrown error into a ConnectError with the matching code; the cause stays for logs. */
export function toConnectError(e: unknown): ConnectError {
  if (e instanceof ConnectError) return e;
  const err = toShopError(e);
  return new ConnectError(err.message, Code[errorTable[err.code].connect], undefined, undefined, err);
}

/** Serves a function as a unary Connect-RPC method: protobuf in, the same invoker, protobuf out. */
export function mountRpc(router: ConnectRouter, method: DescMethodUnary, invoke: Invoker, log: Log): void {
  router.rpc(method, async (request: any, ctx: HandlerContext) => {
    const requestId = ctx.requestHeader.get('x-request-id') ?? randomUUID();
    const child = log.child({ request_id: requestId, rpc: `${method.parent.typeName}/${method.name}` });
    try {
      const raw = toJson(method.input, request, { useProtoFieldName: true, alwaysEmitImplicit: true });
      const output = await invoke(raw, ctx.requestHeader.get('authorization') ?? undefined, { requestId, log: child });
      ctx.responseHeader.set('x-request-id', requestId);
      return fromJson(method.output, (output ?? {}) as any);
    } catch (e) {
      const err = toConnectError(e);
      child[err.code === Code.Internal || err.code === Code.Unavailable ? 'error' : 'info']({ code: err.code, err: err.cause ?? err }, 'rpc failed');
      throw err;
    }
  });
}
