import type { Plugin } from 'esbuild';
import { readStorefrontFiles } from '../../gateway/storefront/storefront-files.ts';

/**
 * Bundles `gateway/storefront/storefront-files.ts` as the files it reads now: a bundle has no
 * storefront folder beside it. The module's interface stays `readStorefrontFiles()`.
 */
export function embedStorefront(): Plugin {
  return {
    name: 'embed-storefront',
    setup(build) {
      build.onLoad({ filter: /[\\/]gateway[\\/]storefront[\\/]storefront-files\.ts$/ }, async () => ({
        contents: `const files = ${JSON.stringify(await readStorefrontFiles())};\nexport const readStorefrontFiles = async () => files;\n`,
        loader: 'js',
      }));
    },
  };
}
