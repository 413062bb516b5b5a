import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ShopError, toShopError } from '../errors.ts';
import type { Log } from '../log.ts';
import { mountHealth, type Check } from '../health.ts';
import { httpMetrics } from '../metrics.ts';
import { literalPathMethods, methodNotAllowed, methodsOn } from './allowed-methods.ts';
import { bodyLimit } from './body-limit.ts';
import { mountMetrics } from './metrics-route.ts';
import { securityHeaders } from './security-headers.ts';
import { httpTracing } from './request-spans.ts';
import { requestContext, type RequestVars } from './request-context.ts';

/** Options shared by the gateway and single-function servers. */
export interface HttpAppOptions {
  log: Log;
  bodyLimitBytes: number;
  /** Who answers, in the health answers (e.g. the function's name). */
  info?: Record<string, unknown>;
  /** Readiness checks of the dependencies this process needs. */
  checks?: Record<string, Check>;
  /** The bearer token `/metrics` asks for (METRICS_TOKEN); unset: it answers anyone. */
  metricsToken?: string;
  /** The clock (ms) the readiness answer ages by (health.ts); tests set it. */
  now?: () => number;
  /** Paths that limit their bodies themselves (event routes: an oversized message is dead-lettered, not refused). */
  ownBodyLimit?: ReadonlySet<string>;
  /**
   * Middleware every request meets after health and metrics and before any route (the gateway's
   * rate limit and CORS): a 405 answered before the routes meets it too.
   */
  edge?: MiddlewareHandler[];
}

/**
 * A Hono app with request ids, JSON request logs, Prometheus metrics (`/metrics`, for the holder of
 * `metricsToken` when set), body limit, health (`/health/live`, `/health/ready`) and JSON errors:
 * 404 for a path no route has, 405 with `Allow` for a method a path's routes lack (on a path a
 * route names literally, before any route with a parameter can take it).
 */
export function createHttpApp(opts: HttpAppOptions): Hono<{ Variables: RequestVars }> {
  const app = new Hono<{ Variables: RequestVars }>();
  app.use(httpTracing());
  app.use(securityHeaders());
  app.use(requestContext(opts.log));
  app.use(httpMetrics());
  app.use(bodyLimit(opts.bodyLimitBytes, opts.ownBodyLimit));
  mountHealth(app, opts.checks ?? {}, opts.info, opts.now);
  mountMetrics(app, opts.metricsToken);
  for (const middleware of opts.edge ?? []) app.use(middleware);
  app.use(literalPathMethods(app));
  app.notFound((c) => {
    // A path that has routes, asked with another method: 405 with the methods it has (OPTIONS: just those).
    const on = methodsOn(app, c.req.path);
    if (!on) return c.json(new ShopError('not_found', `no route for ${c.req.method} ${c.req.path}`).toJSON(), 404);
    return methodNotAllowed(c, on);
  });
  app.onError((e, c) => {
    const err =
      e instanceof HTTPException && e.status < 500 ? new ShopError('invalid_argument', e.message) : toShopError(e);
    if (err.status >= 500) c.get('log').error({ err: err.cause ?? err }, 'request failed');
    return c.json(err.toJSON(), err.status as 400);
  });
  return app;
}
