import type { Context, Hono } from 'hono';
import type { FunctionDef, RestRequest } from './define.ts';
import { ShopError } from './errors.ts';
import { answer } from './http/answer.ts';
import type { RequestVars } from './http/request-context.ts';
import { noneMatch, readyJson } from './http/ready-json.ts';
import { requestHeader } from './http/request-header.ts';
import type { Invoker } from './invoker.ts';

/** The route a function is served on over REST. */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
}

/** How a function without its own `restInput` reads its input: the JSON body plus the path parameters. */
export const defaultRestInput = (req: RestRequest): unknown => ({ ...(req.body as object), ...req.params });

/** The REST input of a function taking an Idempotency-Key: the default input, and the header as `idempotency_key`. */
export const bodyWithIdempotencyKey = (req: RestRequest): unknown => ({
  ...(defaultRestInput(req) as object),
  idempotency_key: req.headers.get('idempotency-key') ?? undefined,
});

const JSON_TYPE = { 'content-type': 'application/json' };

/** Serves a function on its REST route of `app`. */
export function mountRest(
  app: Hono<{ Variables: RequestVars }>,
  route: RestRoute,
  def: Pick<FunctionDef<unknown, unknown, unknown>, 'restInput' | 'restStatus'>,
  invoke: Invoker,
): void {
  app.on(route.method, route.path, async (c) => {
    const req = new Rest(c, await readBody(c));
    const raw = (def.restInput ?? defaultRestInput)(req);
    const output = await invoke(raw, requestHeader(c, 'authorization'), {
      requestId: c.get('requestId'),
      log: c.get('log'),
    });
    const status = def.restStatus?.(output) ?? (output === undefined ? 204 : 200);
    if (status === 204) return answer(c, 204, null);
    // A cached page: its bytes and ETag are made once; a client holding them is answered 304.
    const ready = route.method === 'GET' ? readyJson(output) : undefined;
    if (!ready) return answer(c, status, JSON.stringify(output), JSON_TYPE);
    if (status === 200 && noneMatch(requestHeader(c, 'if-none-match'), ready.etag))
      return answer(c, 304, null, { etag: ready.etag });
    return answer(c, status, ready.body, { ...JSON_TYPE, etag: ready.etag });
  });
}

/** What a REST route reads its input from; the web headers are built only when read (one route does). */
class Rest implements RestRequest {
  readonly params: Record<string, string>;
  readonly query: Record<string, string>;
  readonly body: unknown;
  readonly #c: Context;
  constructor(c: Context, body: unknown) {
    this.#c = c;
    this.params = c.req.param();
    this.query = c.req.query();
    this.body = body;
  }
  get headers(): Headers {
    return this.#c.req.raw.headers;
  }
}

/** Reads a JSON object body; an absent body reads as `{}`. */
async function readBody(c: Context): Promise<Record<string, unknown>> {
  if (c.req.method === 'GET' || c.req.method === 'DELETE') return {};
  const text = await c.req.text();
  if (text.trim() === '') return {};
  const type = requestHeader(c, 'content-type') ?? '';
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
