import { afterAll, beforeAll } from 'vitest';
import { infraUrls, uniqueName } from './infra.ts';
import { migrate } from '../../platform/sql/migrate.ts';
import { openPostgres } from '../../platform/sql/postgres.ts';
import type { Sql } from '../../platform/sql/sql.ts';

/** A migrated schema of its own on the real PostgreSQL for a test file; `fresh()` empties it. */
export function usePostgres(enabled: boolean) {
  let sql: Sql | undefined;
  const schema = uniqueName('t');
  beforeAll(async () => {
    if (!enabled) return;
    sql = await openPostgres({ url: infraUrls.postgres, schema });
    await migrate(sql);
  });
  afterAll(async () => {
    await sql?.exec(`drop schema ${schema} cascade`);
    await sql?.close();
  });
  return {
    async fresh(): Promise<Sql> {
      await sql!.exec('truncate products, processed_events, refunds, payments, outbox, provider_ledger');
      return sql!;
    },
  };
}
