import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/** CORS for an allow-list of exact origins (no wildcard); no list, no CORS headers. */
export function corsAllowList(origins: string[]): MiddlewareHandler {
  if (origins.length === 0)
    return async function noCors(_c, next) {
      await next();
    };
  return cors({
    origin: (origin) => (origins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowHeaders: [
      'Content-Type',
      'Authorization',
      'Idempotency-Key',
      'X-Request-Id',
      'Connect-Protocol-Version',
      'X-Grpc-Web',
      'X-User-Agent',
    ],
    exposeHeaders: ['X-Request-Id', 'Grpc-Status', 'Grpc-Message'],
    maxAge: 600,
  });
}
