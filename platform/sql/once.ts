import type { Sql } from './sql.ts';

/**
 * Runs `fn` the first time `name` is seen by this database, and never again (a marker in
 * `schema_migrations`). `fn` must itself be idempotent: a crash before the marker is written
 * runs it again on the next start.
 */
export async function once(sql: Sql, name: string, fn: () => Promise<void>): Promise<boolean> {
  const version = `once:${name}`;
  if ((await sql.query('select 1 from schema_migrations where version = $1', [version])).length) return false;
  await fn();
  await sql.query('insert into schema_migrations (version) values ($1) on conflict do nothing', [version]);
  return true;
}
