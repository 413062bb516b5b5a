import { afterAll, beforeAll } from 'vitest';
import { infraUrls, uniqueName } from '../../test/infra.ts';
import { migrate } from './migrate.ts';
import { openPostgres } from './postgres.ts';
import type { Sql } from './sql.ts';

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
      await sql!.exec('truncate products, processed_events, payments, outbox');
      return sql!;
    },
  };
}
