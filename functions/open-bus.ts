import type { Config } from '../platform/config.ts';
import type { EventBus } from '../platform/events/bus.ts';
import type { SendDeadLetter } from '../platform/events/dead-letter.ts';
import { memoryBus } from '../platform/events/memory-bus.ts';
import type { Log } from '../platform/log.ts';

/** The Kafka bus, connected; fails with a message naming Kafka when it is unreachable. */
async function openKafka(config: Config, log: Log, unreadable: SendDeadLetter): Promise<EventBus> {
  const { kafkaBus } = await import('../platform/events/kafka-bus.ts');
  const bus = kafkaBus({ brokers: config.kafkaBrokers, clientId: 'daprps', prefix: config.kafkaPrefix, unreadable }, log);
  await bus.connect();
  return bus;
}

/** The bus through the Dapr sidecar. */
async function openDapr(config: Config): Promise<EventBus> {
  const { daprBus } = await import('../platform/events/dapr-bus.ts');
  return daprBus({ ...config.dapr, prefix: config.kafkaPrefix });
}

/**
 * The bus of `EVENT_TRANSPORT`: Kafka, the Dapr sidecar or in process. The client of the one in
 * use is the only one loaded (kafkajs and the Dapr SDK each take a while to import).
 */
export const openBus = (config: Config, log: Log, unreadable: SendDeadLetter): Promise<EventBus> | EventBus =>
  config.eventTransport === 'kafka' ? openKafka(config, log, unreadable) : config.eventTransport === 'dapr' ? openDapr(config) : memoryBus(log);
