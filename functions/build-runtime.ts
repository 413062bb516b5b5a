import type { Config } from '../platform/config.ts';
import type { Need } from '../platform/define.ts';
import type { Check } from '../platform/health.ts';
import { outboxBacklog } from '../platform/metrics.ts';
import type { EventBus } from '../platform/events/bus.ts';
import type { DeadLetterPolicy } from '../platform/events/attempts.ts';
import { startOutboxRelay, type Relay } from '../platform/events/outbox-relay.ts';
import { signerFor, signingBus, type EventSigner } from '../platform/events/signature.ts';
import { failpoints } from '../platform/failpoints.ts';
import { uuid } from '../platform/ids.ts';
import type { Log } from '../platform/log.ts';
import { absent } from './absent.ts';
import type { Deps } from './deps.ts';
import { deadLetterSink } from './events/dead-letter-sink.ts';
import { openBaskets, type Baskets } from './open-baskets.ts';
import { openBus } from './event-transport.ts';
import { openDatabase, type Database } from './open-database.ts';
import { startPaymentRecovery, type PaymentRecovery } from './payment/payment-recovery.ts';

/** The dependencies of a process and what to stop when it shuts down. */
export interface Runtime {
  deps: Deps;
  /** The bus; what is published through it is signed. */
  bus: EventBus;
  /** Signs what this process publishes and checks what its handlers receive. */
  signer: EventSigner;
  /** Publishes the outbox to the bus; absent where nothing in this process consumes it. */
  relay?: Relay;
  /** Where handlers of this process send the messages they give up on. */
  deadLetters: DeadLetterPolicy;
  /** Readiness checks of what this process connected to (those of its needs). */
  checks: Partial<Record<Need, Check>>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Run the outbox relay (needs the database and events). */
  relay: boolean;
  /** Open only what these need (a function served alone); default: everything (the embedded gateway). */
  needs?: readonly Need[];
  /** Serve catalog pages from memory, kept fresh by the database's change notifications. */
  catalogCache?: boolean;
  /** Finish payments and refunds a crash left pending (payment-recovery.ts; needs the database). */
  recovery?: boolean;
}

const everything: readonly Need[] = ['database', 'redis', 'events'];

/**
 * Builds a process's dependencies from the configuration, opening only what its functions need:
 * the database (PostgreSQL `DATABASE_URL` or PGlite on disk, see openDatabase), the baskets
 * (Redis `REDIS_URL` or in memory), the bus (Kafka, the Dapr sidecar or in process, fed by the
 * outbox relay); the built-in test payment provider (its ledger in the database) and, with
 * `recovery`, the loop that finishes what a crash left pending at it. What is not needed is `absent` and never loaded.
 */
export async function buildRuntime(config: Config, log: Log, opts: RuntimeOptions): Promise<Runtime> {
  const needs = new Set(opts.needs ?? everything);
  const now = () => new Date().toISOString();
  let bus = absent<EventBus>('the event bus', 'events');
  // Handlers send what they give up on to the dead-letter topic through the bus.
  const send = deadLetterSink({ publish: (...args) => bus.publish(...args) }, uuid, now);
  // Opened side by side: a cold start waits for the slowest, not for the sum.
  const opened = await Promise.allSettled([
    needs.has('database') ? openDatabase(config, log, now, { catalogCache: opts.catalogCache ?? false }) : undefined,
    needs.has('redis') ? openBaskets(config) : undefined,
    needs.has('events') ? openBus(config, log) : undefined,
  ] as const);
  const [db, baskets, events] = opened.map((o) => (o.status === 'fulfilled' ? o.value : undefined)) as [
    Database?,
    Baskets?,
    EventBus?,
  ];
  const closeOpened = async () => {
    await events?.close();
    baskets?.close();
    await db?.close();
  };
  const failed = opened.find((o) => o.status === 'rejected');
  if (failed) {
    await closeOpened();
    throw failed.reason;
  }
  const checks: Runtime['checks'] = {};
  if (db) {
    checks.database = async () => void (await db.sql.query('select 1'));
    outboxBacklog.readFrom(
      async () =>
        (await db.sql.query<{ n: number }>('select count(*)::int as n from outbox where published_at is null'))[0]!.n,
    );
  }
  if (baskets) checks.redis = baskets.check;
  const signer = events ? signerFor(config.eventSigningKey) : absent<EventSigner>('the event signer', 'events');
  if (events) {
    checks.events = () => events.ready();
    bus = signingBus(events, signer);
  }
  const relay = opts.relay && db && events ? startOutboxRelay(db.payments, bus, log, config.outboxPollMs) : undefined;
  const deps: Deps = {
    products: db?.products ?? absent('the product store', 'database'),
    payments: db?.payments ?? absent('the payment store', 'database'),
    baskets: baskets?.baskets ?? absent('the basket store', 'redis'),
    provider: db?.provider ?? absent('the payment provider', 'database'),
    now,
    newId: uuid,
    currency: config.currency,
    crash: failpoints(config.failpoints),
  };
  const recovery: PaymentRecovery | undefined =
    opts.recovery && db
      ? startPaymentRecovery(deps, log, { intervalMs: config.recovery.intervalMs, afterMs: config.recovery.afterMs })
      : undefined;
  const close = async () => {
    await recovery?.stop();
    await relay?.stop();
    await closeOpened();
  };
  return { deps, bus, signer, relay, deadLetters: { send, maxAttempts: config.eventMaxAttempts, log }, checks, close };
}
