import { topics } from '../functions/events/topics.ts';
import { ensureTopics } from '../platform/events/kafka-bus.ts';
import { infraUrls, requireInfra, uniqueName } from '../test/infra.ts';
import { shopFlow } from './shop-flow.ts';

const ready = (await requireInfra('postgres')) && (await requireInfra('redis')) && (await requireInfra('kafka'));
const run = uniqueName('e2e');
const brokers = new URL(infraUrls.kafka).host;
if (ready) await ensureTopics([brokers], Object.keys(topics).map((t) => `${run}.${t}`));

shopFlow(
  'PostgreSQL, Redis and Kafka',
  {
    DATABASE_URL: infraUrls.postgres, DATABASE_SCHEMA: run,
    REDIS_URL: infraUrls.redis, REDIS_PREFIX: `${run}:`, BASKET_TTL_SECONDS: '60',
    KAFKA_BROKERS: brokers, KAFKA_PREFIX: `${run}.`,
  },
  ready,
);
