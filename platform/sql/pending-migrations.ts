import { readMigrations } from './migration-files.ts';
import type { Sql } from './sql.ts';

/** This build's migrations that the database has not applied (all of them before the first): one read, no lock. */
export async function pendingMigrations(sql: Sql): Promise<Awaited<ReturnType<typeof readMigrations>>> {
  const migrations = await readMigrations();
  const applied = await sql.query<{ version: string }>('select version from schema_migrations').catch(() => []);
  const versions = new Set(applied.map((r) => r.version));
  return migrations.filter((m) => !versions.has(m.version));
}

/**
 * Throws, naming what is missing, unless every migration of this build is applied: a process
 * that does not migrate (MIGRATE=false, a user without DDL rights) refuses to serve an older schema.
 */
export async function expectMigrated(sql: Sql): Promise<void> {
  const pending = (await pendingMigrations(sql)).map((m) => m.version);
  if (pending.length) {
    throw new Error(
      `the database is not migrated (pending: ${pending.join(', ')}); run the migrate Job (node dist/migrate.mjs, npm run migrate) with a user that may change the schema, or start with MIGRATE=true`,
    );
  }
}
