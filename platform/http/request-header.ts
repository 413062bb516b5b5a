import { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** node's HTTP/1.1 request under a request the node server passed to the app (its `env.incoming`). */
export function nodeRequest(c: Context): IncomingMessage | undefined {
  const incoming: unknown = (c.env as { incoming?: unknown } | undefined)?.incoming;
  return incoming instanceof IncomingMessage ? incoming : undefined;
}

/**
 * A request header (lower-case name), as `c.req.header(name)` reads it (repeated values joined
 * with ", "), from node's request when there is one: the web Request's headers are built whole,
 * validated, the first time anything reads them, on every request.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = nodeRequest(c);
  return incoming ? incoming.headersDistinct[name]?.join(', ') : c.req.header(name);
}
