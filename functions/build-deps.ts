import type { Config } from '../platform/config.ts';
import type { EventBus } from '../platform/events/bus.ts';
import { memoryBus } from '../platform/events/memory-bus.ts';
import { startOutboxRelay, type Relay } from '../platform/events/outbox-relay.ts';
import { uuid } from '../platform/ids.ts';
import type { Log } from '../platform/log.ts';
import { migrate } from '../platform/sql/migrate.ts';
import { once } from '../platform/sql/once.ts';
import { openPglite } from '../platform/sql/pglite.ts';
import { memoryBasketStore } from './basket/memory-store.ts';
import type { Deps } from './deps.ts';
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
  close(): Promise<void>;
}

/**
 * Builds the embedded default: PGlite on disk (migrated, demo catalog seeded on the first start), in-memory
 * baskets, the in-process bus fed by the outbox relay, and the test payment provider.
 */
export async function buildRuntime(config: Config, log: Log, opts: { relay: boolean }): Promise<Runtime> {
  const sql = await openPglite(config.dataDir);
  const applied = await migrate(sql);
  if (applied.length) log.info({ applied }, 'database migrated');
  const now = () => new Date().toISOString();
  const products = sqlProductStore(sql);
  if (config.seedDemo && (await once(sql, 'demo-catalog', () => products.insert(demoCatalog(config.currency, now()))))) {
    log.info('demo catalog seeded');
  }
  const payments = sqlPaymentStore(sql);
  const bus = memoryBus(log);
  const relay = opts.relay ? startOutboxRelay(payments, bus, log) : undefined;
  const deps: Deps = {
    products, payments, baskets: memoryBasketStore(), provider: testProvider(), now, newId: uuid, currency: config.currency,
  };
  return {
    deps, bus, relay,
    async close() {
      await relay?.stop();
      await bus.close();
      await sql.close();
    },
  };
}
