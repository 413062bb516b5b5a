import { loadConfig } from '../platform/config.ts';
import { devSidecarTokens } from './dapr/tokens.ts';
import { localInfraEnv, startTopology } from './topology.ts';

/**
 * `task up`: the gateway and every function as separate processes, as on Knative, on the real
 * PostgreSQL, Redis and Kafka that `npm run infra:up` starts (or DATABASE_URL, REDIS_URL,
 * KAFKA_BROKERS). Output of every process is interleaved, prefixed with its name.
 */
const env = localInfraEnv();
const config = loadConfig({ ...process.env, ...env });
const topology = await startTopology({
  env,
  gatewayPort: config.port,
  tokens: devSidecarTokens,
  onLine: (line) => console.log(line),
});
console.log(
  `\nready: gateway on ${topology.gatewayUrl}, ${topology.processes.size - 1} functions, each its own process (Ctrl-C stops all)\n`,
);
const shutdown = () => void topology.stop().then(() => process.exit(0));
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
