import { createGateway } from './app.ts';
import { registry } from '../functions/registry.ts';
import { subscribeHandlers } from '../functions/subscribe-handlers.ts';
import { buildRuntime } from '../functions/build-deps.ts';
import { warnIfAuthOff } from '../platform/auth.ts';
import { loadConfig } from '../platform/config.ts';
import { serve } from '../platform/http/serve.ts';
import { createLog } from '../platform/log.ts';
import { runMain } from '../platform/run-main.ts';
import { onShutdown } from '../platform/shutdown.ts';
import { startTracing } from '../platform/tracing.ts';

/** Starts the gateway: embedded (every function in process) unless function URLs are configured. */
async function main() {
  const config = loadConfig();
  const log = createLog('gateway', config.logLevel);
  const flushTraces = await startTracing('gateway', config.zipkinEndpoint);
  warnIfAuthOff(config.auth, log);
  const embedded = !config.functionUrlTemplate && Object.keys(config.functionUrls).length === 0;
  const runtime = embedded ? await buildRuntime(config, log, { relay: true, catalogCache: true }) : undefined;
  const { app, rpc } = createGateway(config, log, runtime);
  if (runtime) await subscribeHandlers(registry, runtime, log);
  const server = await serve({ fetch: app.fetch, rpc, readMaxBytes: config.bodyLimitBytes, port: config.port, host: config.host });
  log.info({ url: `http://${config.host}:${server.port}`, mode: embedded ? 'embedded' : 'remote', data_dir: embedded ? config.dataDir : undefined }, 'gateway listening');
  onShutdown(log, async () => {
    await server.close();
    await runtime?.close();
    await flushTraces();
  });
}

runMain(main);
