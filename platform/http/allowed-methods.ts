import type { Context, Env, Hono, MiddlewareHandler } from 'hono';
import { ShopError } from '../errors.ts';

/** The order methods are listed in an `Allow` header. */
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** What the routes of an app answer on a path: their methods, and the first one's pattern. */
export interface PathMethods {
  /** For an `Allow` header: HEAD with GET (Hono answers HEAD with the GET route), and OPTIONS. */
  allow: string[];
  /** The pattern of the first route matching the path (`/api/v1/products/:id`), for metric labels. */
  pattern: string;
}

/** The `Allow` list of a path whose routes have `methods`. */
function allowOf(methods: Set<string>): string[] {
  const all = new Set(methods);
  if (all.has('GET')) all.add('HEAD');
  all.add('OPTIONS');
  const rank = (m: string) => (ORDER.includes(m) ? ORDER.indexOf(m) : ORDER.length);
  return [...all].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Per app, the paths its routes name literally (no parameter, no wildcard), with their methods. */
const literalPathsOf = new WeakMap<object, Map<string, PathMethods>>();

/**
 * The paths `app`'s routes name literally, read from `app.routes` on the first call and kept:
 * routes are all added by then, as Hono's router is built on the first request and refuses
 * routes after it.
 */
function literalPaths<E extends Env>(app: Hono<E>): Map<string, PathMethods> {
  let paths = literalPathsOf.get(app);
  if (paths) return paths;
  const methods = new Map<string, Set<string>>();
  for (const { method, path } of app.routes) {
    if (method === 'ALL' || /[:*]/.test(path)) continue; // middleware (app.use), or a pattern
    if (!methods.has(path)) methods.set(path, new Set());
    methods.get(path)!.add(method);
  }
  paths = new Map([...methods].map(([path, on]) => [path, { allow: allowOf(on), pattern: path }]));
  literalPathsOf.set(app, paths);
  return paths;
}

/**
 * The methods `app` has a route for on `path` (middleware aside): those of the literal path when
 * a route names it, else those of the routes matching it, asked of the app's own router so they
 * match as requests do; undefined when no route matches the path, whatever the method. Call it
 * when no route answered a request: a path no route names costs a router match per method.
 */
export function methodsOn<E extends Env>(app: Hono<E>, path: string): PathMethods | undefined {
  const literal = literalPaths(app).get(path);
  if (literal) return literal;
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
  return pattern === undefined ? undefined : { allow: allowOf(methods), pattern };
}

/**
 * The answer to a method a path lacks: 405 `method_not_allowed` with `Allow`; to OPTIONS, 204
 * with `Allow` alone. Counted under the path's pattern.
 */
export function methodNotAllowed(c: Context, on: PathMethods): Response {
  c.set('route', on.pattern);
  const allow = on.allow.join(', ');
  if (c.req.method === 'OPTIONS') return c.body(null, 204, { Allow: allow });
  const message = `${c.req.method} is not allowed on ${c.req.path}; it allows ${allow}`;
  return c.json(new ShopError('method_not_allowed', message).toJSON(), 405, { Allow: allow });
}

/**
 * A request on a path a route names literally (`/api/v1/baskets/add`) with a method that path
 * lacks is answered here with {@link methodNotAllowed}, before a route with a parameter
 * (`GET /api/v1/baskets/:user_id`) could take it as a value. A Map lookup per request. OPTIONS
 * goes on: a CORS preflight is CORS's, and the app's not-found handler answers the others.
 */
export function literalPathMethods<E extends Env>(app: Hono<E>): MiddlewareHandler {
  return async function literalPathMethods(c, next) {
    const on = literalPaths(app).get(c.req.path);
    if (!on || c.req.method === 'OPTIONS' || on.allow.includes(c.req.method)) return next();
    return methodNotAllowed(c, on);
  };
}
