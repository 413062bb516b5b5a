import type { Config } from '../platform/config.ts';
import type { Log } from '../platform/log.ts';
import { migrate } from '../platform/sql/migrate.ts';
import { once } from '../platform/sql/once.ts';
import { expectMigrated } from '../platform/sql/pending-migrations.ts';
import type { Sql } from '../platform/sql/sql.ts';
import { sqlPaymentStore } from './payment/sql-store.ts';
import type { PaymentProvider } from './payment/provider.ts';
import type { PaymentStore } from './payment/store.ts';
import { sqlTestProvider } from './payment/test-provider/sql-provider.ts';
import { demoCatalog } from './product/demo-catalog.ts';
import { withCatalogCache } from './product/catalog-cache.ts';
import { sqlProductStore } from './product/sql-store.ts';
import type { ProductStore } from './product/store.ts';

/** The SQL database and the stores on it, migrated. */
export interface Database {
  sql: Sql;
  products: ProductStore;
  payments: PaymentStore;
  /** The built-in test provider, its ledger in this database (a stand-in PSP; a real one is its own system). */
  provider: PaymentProvider;
  close(): Promise<void>;
}

/** Applies the pending migrations and seeds the demo catalog once (SEED_DEMO): what the migrate Job does. */
async function prepareDatabase(
  sql: Sql,
  config: Pick<Config, 'seedDemo' | 'currency'>,
  log: Log,
  now: () => string,
): Promise<void> {
  const applied = await migrate(sql);
  if (applied.length) log.info({ applied }, 'database migrated');
  if (
    config.seedDemo &&
    (await once(sql, 'demo-catalog', () => sqlProductStore(sql).insert(demoCatalog(config.currency, now()))))
  ) {
    log.info('demo catalog seeded');
  }
}

/**
 * PostgreSQL (`DATABASE_URL`, a pool of DATABASE_POOL_MAX) or else PGlite on disk, prepared
 * (migrated and seeded; with MIGRATE=false only checked to be migrated); with `catalogCache`,
 * catalog pages are served from memory (withCatalogCache). Only the driver in use is loaded (each
 * takes tens of milliseconds to import).
 */
export async function openDatabase(
  config: Config,
  log: Log,
  now: () => string,
  opts: { catalogCache: boolean },
): Promise<Database> {
  const sql = config.databaseUrl
    ? await (await import('../platform/sql/postgres.ts')).openPostgres({
        url: config.databaseUrl,
        schema: config.databaseSchema,
        max: config.databasePoolMax,
      })
    : await (await import('../platform/sql/pglite.ts')).openPglite(config.dataDir);
  const products = sqlProductStore(sql);
  const prepare = () => (config.migrate ? prepareDatabase(sql, config, log, now) : expectMigrated(sql));
  // Listening needs no table: it starts while the migrations are checked (nothing reads the
  // cache before this returns). Both are awaited together, so neither failure goes unheard.
  const [prepared, listened] = await Promise.allSettled([
    prepare(),
    opts.catalogCache ? withCatalogCache(products, sql) : undefined,
  ]);
  const cached = listened.status === 'fulfilled' ? listened.value : undefined;
  const failed = [prepared, listened].find((s) => s.status === 'rejected');
  if (failed) {
    await cached?.close();
    await sql.close();
    throw failed.reason;
  }
  const payments = { payments: sqlPaymentStore(sql), provider: sqlTestProvider(sql) };
  if (!cached) return { sql, products, ...payments, close: () => sql.close() };
  return {
    sql,
    products: cached,
    ...payments,
    close: async () => {
      await cached.close();
      await sql.close();
    },
  };
}
