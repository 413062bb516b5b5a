import { loadConfig } from '../platform/config.ts';
import { createLog } from '../platform/log.ts';
import { exitOnSignalsUntilHandled } from '../platform/pid1-signals.ts';
import { runMain } from '../platform/run-main.ts';
import { migrateDatabase } from './migrate-database.ts';

/**
 * Migrates the database and exits: `npm run migrate`, and `node dist/migrate.mjs` in the image (the
 * Kubernetes Job).
 */
exitOnSignalsUntilHandled();
runMain(async () => {
  const config = loadConfig();
  await migrateDatabase(config, createLog('migrate', config.logLevel));
});
