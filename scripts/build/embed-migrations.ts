import type { Plugin } from 'esbuild';
import { readMigrations } from '../../platform/sql/migration-files.ts';
import { embedAtBuild } from './embed-at-build.ts';

/**
 * Bundles `platform/sql/migration-files.ts` as the migrations it reads now: a bundle has no
 * migrations folder beside it. The module's interface stays `readMigrations()`.
 */
export const embedMigrations = (): Plugin =>
  embedAtBuild('platform/sql/migration-files.ts', 'readMigrations', readMigrations);
