import { topics } from '../../functions/events/topics.ts';
import { ensureTopics } from '../../platform/events/kafka-bus.ts';

/** Creates the project's Kafka topics on KAFKA_BROKERS (idempotent); run by kafka.sh. */
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const prefix = process.env.KAFKA_PREFIX ?? '';
await ensureTopics(
  brokers,
  Object.keys(topics).map((t) => prefix + t),
);
console.log(`topics ready on ${brokers.join(',')}: ${Object.keys(topics).join(', ')}`);
