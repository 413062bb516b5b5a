import type { Context } from 'hono';
import type { RequestVars } from './request-context.ts';
import { markComplete, SECURITY_HEADERS } from './security-headers.ts';

/**
 * An answer made with every header it goes out with, in one plain record: `headers` (a header
 * named there wins), the security headers and the request id. The node server writes such a record
 * as it is; headers added after the handler would first build a web Headers object (validated,
 * sorted, then copied back) on every request.
 */
export function answer(
  c: Context<{ Variables: RequestVars }>,
  status: number,
  body: string | Uint8Array | null,
  headers: Record<string, string> = {},
): Response {
  const requestId = c.get('requestId');
  const all = requestId
    ? { ...SECURITY_HEADERS, ...headers, 'x-request-id': requestId }
    : { ...SECURITY_HEADERS, ...headers };
  return markComplete(new Response(body, { status, headers: all }));
}
