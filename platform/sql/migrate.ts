import { pendingMigrations } from './pending-migrations.ts';
import type { Sql } from './sql.ts';

/** Arbitrary constant key of the advisory lock that serialises concurrent migrators. */
const LOCK_KEY = 727_100_001;

/** Applies the versioned migrations not yet applied, in order, each in its own transaction. */
export async function migrate(sql: Sql): Promise<string[]> {
  // Usually every one is applied: one read says so, without the lock (a start costs one round
  // trip, not five). Otherwise (or with no table yet), under the lock, as below.
  const pending = await pendingMigrations(sql);
  if (!pending.length) return [];
  return sql.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.query(
      'create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null default now())',
    );
    const done = new Set(
      (await tx.query<{ version: string }>('select version from schema_migrations')).map((r) => r.version),
    );
    const applied: string[] = [];
    for (const m of pending.filter((m) => !done.has(m.version))) {
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (version) values ($1)', [m.version]);
      applied.push(m.version);
    }
    return applied;
  });
}
