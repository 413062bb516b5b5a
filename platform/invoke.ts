import { timingSafeEqual } from 'node:crypto';
import { ShopError } from './errors.ts';
import type { CallContext, FunctionDef } from './define.ts';
import { inSpan, SpanKind } from './tracing.ts';
import { parse } from './validation.ts';

/** Calls a function with raw (unvalidated) input, whatever transport it came from. */
export type Invoker<O = unknown> = (raw: unknown, authorization: string | undefined, ctx: CallContext) => Promise<O>;

/** Builds the one call path of a function: access check, input validation, handler. */
export function createInvoker<Deps, I, O>(def: FunctionDef<Deps, I, O>, deps: Deps, adminToken: string | undefined): Invoker<O> {
  const handler = def.handler(deps);
  return async (raw, authorization, ctx) => {
    if (def.access === 'admin') checkAdmin(authorization, adminToken);
    const input = parse(def.input, raw);
    return inSpan(def.name, SpanKind.INTERNAL, { 'daprps.function': def.name }, () => handler(input, ctx));
  };
}

/** Throws unless `authorization` carries the admin bearer token. */
export function checkAdmin(authorization: string | undefined, adminToken: string | undefined): void {
  if (!adminToken) {
    throw new ShopError('forbidden', 'product writes are disabled: set ADMIN_TOKEN and send "Authorization: Bearer <ADMIN_TOKEN>" to enable them');
  }
  const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw new ShopError('unauthenticated', 'this operation needs "Authorization: Bearer <ADMIN_TOKEN>"');
  const given = Buffer.from(token);
  const expected = Buffer.from(adminToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ShopError('forbidden', 'the bearer token is not the admin token');
  }
}
