import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { ShopError } from '../errors.ts';
import { nodeRequest } from './request-header.ts';

/**
 * Refuses request bodies over `maxBytes` with a 413 JSON error. GET and HEAD are let through
 * unread: nothing reads their bodies (their input is the path and query), and looking at one
 * would turn node's request into a full web Request on every read of the API. A body node's
 * request announces the length of (Content-Length, not chunked) is judged by it, as Hono's limit
 * does, without that web Request either; a chunked one is counted as it is read. Paths in
 * `ownLimit` (event routes) apply a limit of their own.
 */
export function bodyLimit(maxBytes: number, ownLimit: ReadonlySet<string> = new Set()): MiddlewareHandler {
  const tooLarge = (c: Context) =>
    c.json(new ShopError('payload_too_large', `request body is larger than ${maxBytes} bytes`).toJSON(), 413);
  const limit = honoBodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || ownLimit.has(c.req.path)) return next();
    const announced = nodeRequest(c)?.headers;
    if (announced?.['content-length'] !== undefined && announced['transfer-encoding'] === undefined)
      return Number.parseInt(announced['content-length'], 10) > maxBytes ? tooLarge(c) : next();
    return limit(c, next);
  };
}
