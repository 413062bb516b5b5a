import type { Hono } from 'hono';
import { ShopError } from '../errors.ts';
import { registry } from '../metrics.ts';
import { bearerToken } from '../security/bearer-token.ts';
import { sameSecret } from '../security/same-secret.ts';
import type { RequestVars } from './request-context.ts';

/**
 * `GET /metrics`: the process's Prometheus registry. With `token` (METRICS_TOKEN), only for a
 * scrape presenting it as `Authorization: Bearer <token>` (compared in constant time), else 401
 * before anything is collected: Knative gives a container one port, and the public gateway
 * serves on it. Without, for anyone (development).
 */
export function mountMetrics(app: Hono<{ Variables: RequestVars }>, token: string | undefined): void {
  app.get('/metrics', async (c) => {
    if (token) {
      const presented = bearerToken(c.req.header('authorization'));
      if (!presented || !sameSecret(presented, token)) {
        c.header('WWW-Authenticate', 'Bearer realm="metrics"');
        throw new ShopError('unauthenticated', 'metrics need "Authorization: Bearer <METRICS_TOKEN>"');
      }
    }
    return c.text(await registry.metrics(), 200, { 'content-type': registry.contentType });
  });
}
