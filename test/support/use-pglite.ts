import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { copyPgliteTemplate } from './pglite-template.ts';
import { migrate } from '../../platform/sql/migrate.ts';
import { openPglite } from '../../platform/sql/pglite.ts';
import type { Sql } from '../../platform/sql/sql.ts';

/**
 * One migrated PGlite (a copy of the initialised template) for a test file; `fresh()` empties every
 * table between tests.
 */
export function usePglite() {
  let sql: Sql | undefined;
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'daprps-pglite-'));
    await copyPgliteTemplate(dir);
    sql = await openPglite(dir);
    await migrate(sql);
  });
  afterAll(async () => {
    await sql?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    async fresh(): Promise<Sql> {
      await sql!.exec('truncate products, processed_events, refunds, payments, outbox, provider_ledger');
      return sql!;
    },
  };
}
