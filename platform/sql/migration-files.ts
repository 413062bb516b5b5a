import { readdir, readFile } from 'node:fs/promises';

/** A versioned migration: its file name, which is its version, and its SQL. */
export interface Migration {
  version: string;
  sql: string;
}

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/**
 * The migrations of platform/sql/migrations, in version order. Read from the folder here; a
 * bundle (scripts/build.ts) embeds what this returns at build time instead, having no folder.
 */
export async function readMigrations(): Promise<Migration[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (version) => ({ version, sql: await readFile(new URL(version, MIGRATIONS_DIR), 'utf8') })),
  );
}
