import { loadConfig } from '../platform/config.ts';
import { startTopology } from './topology.ts';

/**
 * `task up`: the gateway and every function as separate processes, as on Knative, on the real
 * PostgreSQL, Redis and Kafka that `npm run infra:up` starts (or DATABASE_URL, REDIS_URL,
 * KAFKA_BROKERS). Output of every process is interleaved, prefixed with its name.
 */
const env = {
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://daprps@127.0.0.1:55432/daprps',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:56379',
  KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
};
const config = loadConfig({ ...process.env, ...env });
const topology = await startTopology({ env, gatewayPort: config.port, onLine: (line) => console.log(line) });
console.log(`\nready: gateway on ${topology.gatewayUrl}, ${topology.processes.size - 1} functions, each its own process (Ctrl-C stops all)\n`);
const shutdown = () => void topology.stop().then(() => process.exit(0));
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
