import { mountFunctions } from './mount-functions.ts';
import { buildRuntime } from './build-runtime.ts';
import { startEventDelivery } from './event-transport.ts';
import type { Definition } from './definitions.ts';
import { warnIfAuthOff } from '../platform/auth.ts';
import { loadConfig } from '../platform/config.ts';
import { createHttpApp } from '../platform/http/create-http-app.ts';
import { serve } from '../platform/http/serve.ts';
import { createLog } from '../platform/log.ts';
import { onShutdown } from '../platform/shutdown.ts';
import { startTracing } from '../platform/tracing.ts';
import { eventAuthFor, warnIfEventAuthOff } from '../platform/security/event-caller.ts';
import { readinessChecks } from './readiness.ts';
import { eventPaths, routes, serviceName, type FunctionName } from './routes.ts';

/**
 * Serves one function alone on its own port, as a Knative Service would, until SIGTERM. Takes
 * the function's definition rather than looking it up, so that a process (or a bundle) serving
 * one function loads that function's module only.
 */
export async function serveFunction(name: FunctionName, def: Definition): Promise<void> {
  const config = loadConfig(process.env, {
    PORT: String(routes[name].port),
    DATA_DIR: `.data/fn/${serviceName(name)}`,
  });
  const log = createLog(serviceName(name), config.logLevel);
  const flushTraces = await startTracing(serviceName(name), config.zipkinEndpoint);
  warnIfAuthOff(config.auth, log);
  // Across processes (Kafka, Dapr), a function that writes events relays its outbox; in process
  // (memory) nothing else would hear them. How an event handler gets its events is the
  // transport's (event-transport.ts); this process serves its binding route either way.
  const defs = { [name]: def };
  const runtime = await buildRuntime(config, log, {
    relay: config.eventTransport !== 'memory' && 'publishes' in def && !!def.publishes?.length,
    needs: def.needs,
    catalogCache: 'catalogCache' in def && !!def.catalogCache,
    recovery: !!def.movesMoney,
  });
  await startEventDelivery(config, defs, runtime, log, { bindingRoutes: true });
  const app = createHttpApp({
    log,
    bodyLimitBytes: config.bodyLimitBytes,
    info: { function: name },
    checks: readinessChecks(def, runtime),
    metricsToken: config.metricsToken,
    ownBodyLimit: eventPaths([name]),
  });
  // An event route takes deliveries only from this function's own sidecar or event source.
  const eventAuth = routes[name].kind === 'event' ? eventAuthFor(config.eventAuth) : undefined;
  if (eventAuth) warnIfEventAuthOff(eventAuth, log);
  const rpc = mountFunctions({
    app,
    defs,
    deps: runtime.deps,
    deadLetters: runtime.deadLetters,
    eventAuth,
    signer: eventAuth && runtime.signer,
    config,
    log,
  });
  const server = await serve({
    fetch: app.fetch,
    rpc,
    readMaxBytes: config.bodyLimitBytes,
    port: config.port,
    host: config.host,
  });
  log.info(
    { function: name, url: `http://${config.host}:${server.port}`, data_dir: config.dataDir },
    'function listening',
  );
  onShutdown(log, async () => {
    await server.close();
    await runtime.close();
    await flushTraces();
  });
}
