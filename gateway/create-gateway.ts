import type { RpcRoutes } from '../platform/rpc-routes.ts';
import type { Redis } from 'ioredis';
import { mountFunctions } from '../functions/mount-functions.ts';
import type { Runtime } from '../functions/build-runtime.ts';
import { definitionsOf } from '../functions/registry.ts';
import { routes, type FunctionName } from '../functions/routes.ts';
import type { Config } from '../platform/config.ts';
import { createHttpApp } from '../platform/http/create-http-app.ts';
import type { Log } from '../platform/log.ts';
import { clientAddress, rateLimit } from '../platform/http/rate-limit.ts';
import { rateLimitBuckets } from '../platform/http/rate-limit-buckets.ts';
import { mountApiDocs } from './api-docs/mount-api-docs.ts';
import { mountStorefront } from './storefront/mount-storefront.ts';
import { corsAllowList } from './cors.ts';
import { functionUrls } from './function-urls.ts';
import { peerAddress } from './peer-address.ts';
import { forward, upstream } from './proxy.ts';

/** The gateway: one Hono app, plus the Connect routes it serves in process. */
export interface Gateway {
  app: ReturnType<typeof createHttpApp>;
  rpc?: RpcRoutes;
}

/** Every function of the route table. */
const allFunctions = Object.keys(routes) as FunctionName[];

/** The request/response functions: the only ones the edge serves. */
const requestFunctions = allFunctions.filter((name) => routes[name].kind === 'request');

/**
 * The edge gateway over the route table. With a runtime, every function runs in this process
 * (embedded default); without, requests are forwarded to each function's URLs, in turn. With
 * `limiterRedis` (REDIS_URL), every replica shares one rate limit per client.
 */
export function createGateway(config: Config, log: Log, runtime?: Runtime, limiterRedis?: Redis): Gateway {
  const mode = runtime ? 'embedded' : 'remote';
  const app = createHttpApp({
    log,
    bodyLimitBytes: config.bodyLimitBytes,
    info: { service: 'gateway', mode },
    checks: runtime?.checks,
    metricsToken: config.metricsToken,
    edge: [
      rateLimit({
        store: rateLimitBuckets(config, log, limiterRedis),
        clientOf: clientAddress(config.trustProxyHops, peerAddress, config.clientIpHeader),
      }),
      corsAllowList(config.corsOrigins),
    ],
  });
  mountApiDocs(app);
  mountStorefront(app, config);
  if (runtime) {
    // Request functions only: in process, events travel on the in-process bus (startEventDelivery
    // (functions/event-transport.ts)),
    // and no event route is reachable from the edge.
    const rpc = mountFunctions({
      app,
      defs: definitionsOf(requestFunctions),
      deps: runtime.deps,
      deadLetters: runtime.deadLetters,
      config,
      log,
    });
    return { app, rpc };
  }
  for (const name of requestFunctions) {
    const route = routes[name];
    if (route.kind !== 'request') continue;
    const up = upstream(name, functionUrls(config, name));
    const go = (c: Parameters<typeof forward>[0]) => forward(c, up, config.upstreamTimeoutMs);
    app.on(route.method, route.path, go);
    app.post(route.rpc.path, go);
  }
  return { app };
}
