import type { Hono } from 'hono';
import { authenticatorFor } from '../platform/auth.ts';
import type { Config } from '../platform/config.ts';
import type { EventHandlerDef, FunctionDef } from '../platform/define.ts';
import type { DeadLetterPolicy } from '../platform/events/attempts.ts';
import { mountBinding } from '../platform/events/binding-route.ts';
import type { EventSigner } from '../platform/events/signature.ts';
import { mountConnect } from '../platform/http/connect-on-hono.ts';
import { eventCaller, type EventAuth } from '../platform/security/event-caller.ts';
import type { RequestVars } from '../platform/http/request-context.ts';
import { createInvoker, type Invoker } from '../platform/invoker.ts';
import type { Log } from '../platform/log.ts';
import { mountRest } from '../platform/rest.ts';
import { loadOnce } from '../platform/load-once.ts';
import type { RpcRoutes } from '../platform/rpc-routes.ts';
import { definitionsIn, type Definitions } from './definitions.ts';
import type { Deps } from './deps.ts';
import { handlerPipeline } from './event-transport.ts';
import { routes, type RpcMethod } from './routes.ts';

/** What serving some functions needs. */
export interface ServeFunctions {
  app: Hono<{ Variables: RequestVars }>;
  /** The functions to serve. */
  defs: Definitions;
  deps: Deps;
  /** Where event handlers send what they give up on (messages from Kafka only). */
  deadLetters: DeadLetterPolicy;
  /**
   * Who may deliver to event routes, and the signer their events must carry; needed when `defs`
   * holds an event handler.
   */
  eventAuth?: EventAuth;
  signer?: Pick<EventSigner, 'verify'>;
  config: Pick<Config, 'adminToken' | 'auth' | 'bodyLimitBytes' | 'kafkaPrefix'>;
  log: Log;
}

/**
 * Serves the given functions over HTTP: request functions on their REST routes and Connect
 * methods of `app` (the Connect routes are also returned, for `serve` to answer gRPC over
 * HTTP/2; built on the first RPC call); event handlers on their binding route (`POST /<binding>`
 * with a CloudEvent, as a Dapr input binding reading the prefixed topic delivers it), for callers
 * that `eventAuth` admits only.
 */
export function mountFunctions(s: ServeFunctions): RpcRoutes {
  const rpcs: { method: RpcMethod; invoke: Invoker }[] = [];
  const authenticate = authenticatorFor(s.config.auth, s.config.adminToken);
  for (const [name, def] of definitionsIn(s.defs)) {
    const route = routes[name];
    if (route.kind === 'request') {
      const fn = def as FunctionDef<Deps>;
      const invoke = createInvoker(fn, s.deps, authenticate, !!s.config.adminToken);
      mountRest(s.app, route, fn, invoke);
      rpcs.push({ method: route.rpc, invoke });
    } else {
      if (!s.eventAuth || !s.signer)
        throw new Error(
          `${name} is an event handler: serving its route needs who may deliver (eventAuth) and the event signer`,
        );
      const pipeline = handlerPipeline(def as EventHandlerDef<Deps>, s.deps, {
        signer: s.signer,
        deadLetters: s.deadLetters,
        log: s.log,
      });
      mountBinding(
        s.app,
        { binding: route.binding, kafkaTopic: `${s.config.kafkaPrefix}${route.topic}` },
        pipeline,
        eventCaller(s.eventAuth),
      );
    }
  }
  const rpc: RpcRoutes = {
    paths: rpcs.map((r) => r.method.path),
    load: loadOnce(async () => {
      const [{ mountRpc }, methods] = await Promise.all([
        import('../platform/rpc.ts'),
        Promise.all(rpcs.map((r) => r.method.load())),
      ]);
      return (router) => {
        for (const [i, r] of rpcs.entries()) mountRpc(router, methods[i] as never, r.invoke, s.log);
      };
    }),
  };
  mountConnect(s.app, rpc, s.config.bodyLimitBytes);
  return rpc;
}
