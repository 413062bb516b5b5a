import type { Context, Hono } from 'hono';
import type { FunctionDef, RestRequest } from './define.ts';
import { ShopError } from './errors.ts';
import type { RequestVars } from './http/request-context.ts';
import type { Invoker } from './invoker.ts';

/** The route a function is served on over REST. */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
}

/** Serves a function on its REST route of `app`. */
export function mountRest(
  app: Hono<{ Variables: RequestVars }>,
  route: RestRoute,
  def: Pick<FunctionDef<unknown, unknown, unknown>, 'restInput' | 'restStatus'>,
  invoke: Invoker,
): void {
  app.on(route.method, route.path, async (c) => {
    const req: RestRequest = {
      params: c.req.param(),
      query: c.req.query(),
      headers: c.req.raw.headers,
      body: await readBody(c),
    };
    const raw = def.restInput ? def.restInput(req) : { ...(req.body as object), ...req.params };
    const output = await invoke(raw, c.req.header('authorization'), {
      requestId: c.get('requestId'),
      log: c.get('log'),
    });
    const status = def.restStatus?.(output) ?? (output === undefined ? 204 : 200);
    return status === 204 ? c.body(null, 204) : c.json(output as object, status as 200);
  });
}

/** Reads a JSON object body; an absent body reads as `{}`. */
async function readBody(c: Context): Promise<Record<string, unknown>> {
  if (c.req.method === 'GET' || c.req.method === 'DELETE') return {};
  const text = await c.req.text();
  if (text.trim() === '') return {};
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new ShopError('unsupported_media_type', `Content-Type must be application/json, got "${type || 'none'}"`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ShopError('invalid_argument', 'request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ShopError('invalid_argument', 'request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}
