import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { ShopError } from '../errors.ts';

/** Refuses request bodies over `maxBytes` with a 413 JSON error. */
export function bodyLimit(maxBytes: number): MiddlewareHandler {
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: (c) => c.json(new ShopError('payload_too_large', `request body is larger than ${maxBytes} bytes`).toJSON(), 413),
  });
}
