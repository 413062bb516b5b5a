import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { ShopError } from '../errors.ts';

/**
 * Refuses request bodies over `maxBytes` with a 413 JSON error. GET and HEAD are let through
 * unread: nothing reads their bodies (their input is the path and query), and looking at one
 * would turn node's request into a full web Request on every read of the API. Paths in `ownLimit`
 * (event routes) apply a limit of their own.
 */
export function bodyLimit(maxBytes: number, ownLimit: ReadonlySet<string> = new Set()): MiddlewareHandler {
  const limit = honoBodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      c.json(new ShopError('payload_too_large', `request body is larger than ${maxBytes} bytes`).toJSON(), 413),
  });
  return (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' || ownLimit.has(c.req.path) ? next() : limit(c, next);
}
