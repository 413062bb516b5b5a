import type { Env, Hono } from 'hono';

/** The order methods are listed in an `Allow` header. */
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** What the routes of an app answer on a path: their methods, and the first one's pattern. */
export interface PathMethods {
  /** For an `Allow` header: HEAD with GET (Hono answers HEAD with the GET route), and OPTIONS. */
  allow: string[];
  /** The pattern of the first route matching the path (`/api/v1/products/:id`), for metric labels. */
  pattern: string;
}

/**
 * The methods `app` has a route for on `path` (middleware aside), asked of the app's own router so
 * they match as requests do; undefined when no route matches the path, whatever the method. Call
 * it when no route answered a request: it costs a router match per method the app uses.
 */
export function methodsOn<E extends Env>(app: Hono<E>, path: string): PathMethods | undefined {
  const methods = new Set<string>();
  let pattern: string | undefined;
  for (const method of new Set(app.routes.map((r) => r.method))) {
    if (method === 'ALL') continue; // middleware (app.use), not a route
    for (const [[, route]] of app.router.match(method, path)[0]) {
      if (route.method !== method) continue;
      methods.add(method);
      pattern ??= route.path;
    }
  }
  if (pattern === undefined) return undefined;
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  const rank = (m: string) => (ORDER.includes(m) ? ORDER.indexOf(m) : ORDER.length);
  return { allow: [...methods].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)), pattern };
}
