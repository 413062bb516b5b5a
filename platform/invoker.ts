import type { Caller } from './auth.ts';
import { requireAdmin, requireUser } from './auth.ts';
import type { CallContext, FunctionDef } from './define.ts';
import { inSpan, SpanKind } from './tracing.ts';
import { parse } from './validation.ts';

/** Calls a function with raw (unvalidated) input, whatever transport it came from. */
export type Invoker<O = unknown> = (
  raw: unknown,
  authorization: string | undefined,
  ctx: Omit<CallContext, 'caller'>,
) => Promise<O>;

/** Who a bearer token says the caller is (see platform/auth.ts). */
export type Authenticate = (authorization: string | undefined) => Promise<Caller>;

/**
 * Builds the one call path of a function: authentication, access check, input validation, the
 * caller acting for the input's user, handler.
 */
export function createInvoker<Deps, I, O>(
  def: FunctionDef<Deps, I, O>,
  deps: Deps,
  authenticate: Authenticate,
  adminConfigured: boolean,
): Invoker<O> {
  const handler = def.handler(deps);
  return async (raw, authorization, ctx) => {
    const caller = await authenticate(authorization);
    if (def.access === 'admin') requireAdmin(caller, adminConfigured);
    const input = parse(def.input, raw);
    if (def.access === 'user') requireUser(caller, (input as { user_id?: string }).user_id);
    return inSpan(def.name, SpanKind.INTERNAL, { 'daprps.function': def.name }, () =>
      handler(input, { ...ctx, caller }),
    );
  };
}
