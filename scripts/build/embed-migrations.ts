import type { Plugin } from 'esbuild';
import { readMigrations } from '../../platform/sql/migration-files.ts';

/**
 * Bundles `platform/sql/migration-files.ts` as the migrations it reads now: a bundle has no
 * migrations folder beside it. The module's interface stays `readMigrations()`.
 */
export function embedMigrations(): Plugin {
  return {
    name: 'embed-migrations',
    setup(build) {
      build.onLoad({ filter: /[\\/]platform[\\/]sql[\\/]migration-files\.ts$/ }, async () => ({
        contents: `const migrations = ${JSON.stringify(await readMigrations())};\nexport const readMigrations = async () => migrations;\n`,
        loader: 'js',
      }));
    },
  };
}
