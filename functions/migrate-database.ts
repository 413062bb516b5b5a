import type { Config } from '../platform/config.ts';
import type { Log } from '../platform/log.ts';
import { openDatabase } from './open-database.ts';

/**
 * The migrate Job's work: opens the database of `config` (DATABASE_URL, or PGlite in DATA_DIR),
 * applies the pending migrations and seeds the demo catalog once (SEED_DEMO), whatever MIGRATE
 * says, then closes it.
 */
export async function migrateDatabase(config: Config, log: Log, now = () => new Date().toISOString()): Promise<void> {
  const db = await openDatabase({ ...config, migrate: true }, log, now, { catalogCache: false });
  await db.close();
}
