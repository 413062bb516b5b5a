import { topics } from '../../functions/events/topics.ts';
import { ensureTopics } from '../../platform/events/kafka-bus.ts';
import { TEST_JWT_SECRET } from './running-shop.ts';
import { eventSigner } from '../../platform/events/signature.ts';
import { infraUrls, requireInfra, uniqueName } from './infra.ts';

/** The key events are signed with in tests on real infrastructure (EVENT_SIGNING_KEY of their processes). */
const TEST_EVENT_SIGNING_KEY = 'real-infra-test-event-signing-key-0123456789';

/** Signs events as the shop's functions under test do. */
export const testInfraSigner = eventSigner(TEST_EVENT_SIGNING_KEY);

/**
 * Whether PostgreSQL, Redis and Kafka are all reachable, and an environment that gives this test
 * file its own schema, Redis key prefix and Kafka topics (created here) and consumer groups.
 */
export async function realInfraEnv(): Promise<{ ready: boolean; env: Record<string, string> }> {
  const ready = (await requireInfra('postgres')) && (await requireInfra('redis')) && (await requireInfra('kafka'));
  const run = uniqueName('e2e');
  const brokers = new URL(infraUrls.kafka).host;
  if (ready)
    await ensureTopics(
      [brokers],
      Object.keys(topics).map((t) => `${run}.${t}`),
    );
  return {
    ready,
    env: {
      DATABASE_URL: infraUrls.postgres,
      DATABASE_SCHEMA: run,
      REDIS_URL: infraUrls.redis,
      REDIS_PREFIX: `${run}:`,
      BASKET_TTL_SECONDS: '60',
      KAFKA_BROKERS: brokers,
      KAFKA_PREFIX: `${run}.`,
      // Every request of a test comes from one client: the gateway's rate limit is tested on its own.
      RATE_LIMIT_BURST: '1000000',
      JWT_SECRET: TEST_JWT_SECRET,
      EVENT_SIGNING_KEY: TEST_EVENT_SIGNING_KEY,
    },
  };
}
