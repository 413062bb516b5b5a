import { mountFunctions } from './app.ts';
import { buildRuntime } from './build-deps.ts';
import { loadConfig } from '../platform/config.ts';
import { createHttpApp } from '../platform/http/app.ts';
import { serve } from '../platform/http/serve.ts';
import { createLog } from '../platform/log.ts';
import { onShutdown } from '../platform/shutdown.ts';
import { registry } from './registry.ts';
import { functionNamed, routes, serviceName } from './routes.ts';
import { subscribeHandlers } from './subscribe-handlers.ts';

/** Serves one function alone on its own port, as a Knative Service would: `tsx functions/serve-one.ts <name>`. */
async function main() {
  const name = functionNamed(process.argv[2] ?? process.env.FUNCTION ?? '');
  const config = loadConfig(process.env, { PORT: String(routes[name].port), DATA_DIR: `.data/fn/${serviceName(name)}` });
  const log = createLog(serviceName(name), config.logLevel);
  // Across processes (Kafka, Dapr), a function that writes events relays its outbox; in process
  // (memory) nothing else would hear them. An event handler consumes its topic itself on Kafka;
  // under Dapr its sidecar's input binding POSTs each event to its binding route instead.
  const def = registry[name];
  const runtime = await buildRuntime(config, log, { relay: config.eventTransport !== 'memory' && 'publishes' in def && !!def.publishes?.length });
  if (config.eventTransport === 'kafka') await subscribeHandlers([name], runtime.deps, runtime.bus, log);
  const app = createHttpApp({ log, bodyLimitBytes: config.bodyLimitBytes, health: () => ({ function: name }) });
  const rpc = mountFunctions({ app, names: [name], deps: runtime.deps, config, log });
  const server = await serve({ fetch: app.fetch, rpc, readMaxBytes: config.bodyLimitBytes, port: config.port, host: config.host });
  log.info({ function: name, url: `http://${config.host}:${server.port}`, data_dir: config.dataDir }, 'function listening');
  onShutdown(log, async () => {
    await server.close();
    await runtime.close();
  });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
