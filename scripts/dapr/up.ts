import { join } from 'node:path';
import { routes } from '../../functions/routes.ts';
import { functionProcesses } from '../deploy/function-processes.ts';
import { loadConfig } from '../../platform/config.ts';
import { devSidecarTokens } from './tokens.ts';
import { localInfraEnv, startTopology } from '../topology.ts';
import { localResources } from './components.ts';
import { daprdInstalled, sidecarPortsFor } from './daprd.ts';

/**
 * `task dapr:up`: the gateway and every function as its own process, each that uses events (the
 * only Dapr API used) with its own daprd sidecar, as on Knative and in compose,
 * on the real PostgreSQL, Redis and Kafka of `npm run infra:up` (or DATABASE_URL, REDIS_URL,
 * KAFKA_BROKERS). Payment functions publish through their sidecar (`shop-pubsub`); the event
 * handlers' sidecars consume `payment-completed` with the Kafka input bindings and POST each
 * event to the handler. The resources are `components/local`, rendered into `.data/dapr` for
 * the configured brokers and KAFKA_PREFIX.
 */
const env = localInfraEnv();
const config = loadConfig({ ...process.env, ...env });
const installed = daprdInstalled();
if (!installed.ok) {
  console.error(installed.message);
  process.exit(1);
}
const dapr = await localResources(join(process.cwd(), '.data/dapr/components'), {
  brokers: config.kafkaBrokers.join(','),
  prefix: config.kafkaPrefix,
});
const topology = await startTopology({
  env,
  gatewayPort: config.port,
  dapr,
  tokens: devSidecarTokens,
  onLine: (line) => console.log(line),
});
// The first function with a sidecar: its ports are the lowest of the sidecars'.
const first = sidecarPortsFor(routes[functionProcesses.find((p) => p.sidecar)!.name].port);
console.log(
  `\nready: gateway on ${topology.gatewayUrl}; every function, those using events with their daprd (HTTP API ${first.http}+, metrics ${first.metrics}+) (Ctrl-C stops all)\n`,
);
const shutdown = () => void topology.stop().then(() => process.exit(0));
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
