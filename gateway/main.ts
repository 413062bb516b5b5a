import { createGateway } from './create-gateway.ts';
import { registry } from '../functions/registry.ts';
import { startEventDelivery } from '../functions/event-transport.ts';
import { buildRuntime } from '../functions/build-runtime.ts';
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
  const runtime = embedded
    ? await buildRuntime(config, log, { relay: true, catalogCache: true, recovery: true })
    : undefined;
  // Rate limits shared by every replica (remote mode too), on the limiter's own client: short timeout, no queue.
  const limiterRedis = config.redisUrl
    ? await (await import('../platform/http/limiter-redis.ts')).openLimiterRedis(config.redisUrl)
    : undefined;
  const { app, rpc } = createGateway(config, log, runtime, limiterRedis);
  // Embedded, every event handler runs here; the edge serves no binding route.
  if (runtime) await startEventDelivery(config, registry, runtime, log, { bindingRoutes: false });
  const server = await serve({
    fetch: app.fetch,
    rpc,
    readMaxBytes: config.bodyLimitBytes,
    port: config.port,
    host: config.host,
  });
  log.info(
    {
      url: `http://${config.host}:${server.port}`,
      mode: embedded ? 'embedded' : 'remote',
      data_dir: embedded ? config.dataDir : undefined,
      rate_limits: limiterRedis ? 'redis' : 'process',
    },
    'gateway listening',
  );
  onShutdown(log, async () => {
    await server.close();
    await runtime?.close();
    limiterRedis?.disconnect();
    await flushTraces();
  });
}

runMain(main);
