import type { Config } from '../platform/config.ts';
import type { Need } from '../platform/define.ts';
import type { Check } from '../platform/health.ts';
import { outboxBacklog } from '../platform/metrics.ts';
import type { EventBus } from '../platform/events/bus.ts';
import { kafkaBus } from '../platform/events/kafka-bus.ts';
import { memoryBus } from '../platform/events/memory-bus.ts';
import type { DeadLetterPolicy, SendDeadLetter } from '../platform/events/dead-letter.ts';
import { startOutboxRelay, type Relay } from '../platform/events/outbox-relay.ts';
import { uuid } from '../platform/ids.ts';
import type { Log } from '../platform/log.ts';
import { migrate } from '../platform/sql/migrate.ts';
import { once } from '../platform/sql/once.ts';
import { openPglite } from '../platform/sql/pglite.ts';
import { openPostgres } from '../platform/sql/postgres.ts';
import { connectRedis, redisBasketStore } from './basket/redis-store.ts';
import { memoryBasketStore } from './basket/memory-store.ts';
import type { Deps } from './deps.ts';
import { deadLetterSink } from './events/dead-letters.ts';
import { testProvider } from './payment/provider.ts';
import { sqlPaymentStore } from './payment/sql-store.ts';
import { demoCatalog } from './product/demo-catalog.ts';
import { sqlProductStore } from './product/sql-store.ts';

/** The dependencies of a process and what to stop when it shuts down. */
export interface Runtime {
  deps: Deps;
  bus: EventBus;
  /** Publishes the outbox to the bus; absent where nothing in this process consumes it. */
  relay?: Relay;
  /** Where handlers of this process send the messages they give up on. */
  deadLetters: DeadLetterPolicy;
  /** Readiness checks of what this process connected to. */
  checks: Record<Need, Check>;
  close(): Promise<void>;
}

/** The Kafka bus, connected; fails with a message naming Kafka when it is unreachable. */
async function openKafka(config: Config, log: Log, unreadable: SendDeadLetter): Promise<EventBus> {
  const bus = kafkaBus({ brokers: config.kafkaBrokers, clientId: 'daprps', prefix: config.kafkaPrefix, unreadable }, log);
  await bus.connect();
  return bus;
}

/** The bus through the Dapr sidecar (the SDK is loaded only in this mode: it takes a while). */
async function openDapr(config: Config): Promise<EventBus> {
  const { daprBus } = await import('../platform/events/dapr-bus.ts');
  return daprBus({ ...config.dapr, prefix: config.kafkaPrefix });
}

const openBus = (config: Config, log: Log, unreadable: SendDeadLetter): Promise<EventBus> | EventBus =>
  config.eventTransport === 'kafka' ? openKafka(config, log, unreadable) : config.eventTransport === 'dapr' ? openDapr(config) : memoryBus(log);

/**
 * Builds a process's dependencies from the configuration: PostgreSQL (`DATABASE_URL`) or PGlite
 * on disk, migrated, the demo catalog seeded on the first start; Redis baskets (`REDIS_URL`) or
 * in memory; Kafka (`KAFKA_BROKERS`), the Dapr sidecar (`EVENT_TRANSPORT=dapr`) or the
 * in-process bus, fed by the outbox relay; the test payment provider.
 */
export async function buildRuntime(config: Config, log: Log, opts: { relay: boolean }): Promise<Runtime> {
  const closers: (() => unknown)[] = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    const sql = config.databaseUrl ? await openPostgres({ url: config.databaseUrl, schema: config.databaseSchema }) : await openPglite(config.dataDir);
    closers.push(() => sql.close());
    const redis = config.redisUrl ? await connectRedis(config.redisUrl) : undefined;
    closers.push(() => redis?.disconnect());
    const baskets = redis ? redisBasketStore(redis, { ttlMs: config.basketTtlSeconds * 1000, prefix: config.redisPrefix }) : memoryBasketStore();
    const applied = await migrate(sql);
    if (applied.length) log.info({ applied }, 'database migrated');
    const now = () => new Date().toISOString();
    const products = sqlProductStore(sql);
    if (config.seedDemo && (await once(sql, 'demo-catalog', () => products.insert(demoCatalog(config.currency, now()))))) {
      log.info('demo catalog seeded');
    }
    const payments = sqlPaymentStore(sql);
    // The Kafka bus sends unreadable messages to the dead-letter topic through itself.
    const bus = await openBus(config, log, (d) => send(d));
    const send = deadLetterSink(bus, uuid, now);
    closers.push(() => bus.close());
    const relay = opts.relay ? startOutboxRelay(payments, bus, log, config.outboxPollMs) : undefined;
    closers.push(() => relay?.stop());
    const deps: Deps = { products, payments, baskets, provider: testProvider(), now, newId: uuid, currency: config.currency };
    outboxBacklog.readFrom(async () => (await sql.query<{ n: number }>('select count(*)::int as n from outbox where published_at is null'))[0]!.n);
    const checks: Record<Need, Check> = {
      database: async () => void (await sql.query('select 1')),
      redis: async () => void (await redis?.ping()),
      events: () => bus.ready(),
    };
    return { deps, bus, relay, deadLetters: { send, maxAttempts: config.eventMaxAttempts, log }, checks, close };
  } catch (e) {
    await close();
    throw e;
  }
}
