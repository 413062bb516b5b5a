import type { Context } from 'hono';
import { routePath } from 'hono/route';

/**
 * The route pattern that answered a request (`/api/v1/products/:id`), for metric labels and span
 * names (never the raw path: ids would explode them); `unmatched` when no route did (a 405 names
 * the pattern of the path's routes, in the `route` variable). Read it after `next()`: the route
 * index then points at the handler that answered.
 */
export function routeLabel(c: Context): string {
  const set: unknown = c.get('route');
  if (typeof set === 'string') return set;
  const path = routePath(c);
  return path && !path.endsWith('*') ? path : 'unmatched';
}
