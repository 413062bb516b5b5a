import { afterAll, beforeAll } from 'vitest';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import type { Sql } from './sql.ts';

/** One migrated in-memory PGlite for a test file; `fresh()` empties every table between tests. */
export function usePglite() {
  let sql: Sql | undefined;
  beforeAll(async () => {
    sql = await openPglite();
    await migrate(sql);
  });
  afterAll(async () => sql?.close());
  return {
    async fresh(): Promise<Sql> {
      await sql!.exec('truncate products, processed_events, payments, outbox');
      return sql!;
    },
  };
}
