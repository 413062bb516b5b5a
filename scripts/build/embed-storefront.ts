import type { Plugin } from 'esbuild';
import { readStorefrontFiles } from '../../gateway/storefront/storefront-files.ts';
import { embedAtBuild } from './embed-at-build.ts';

/**
 * Bundles `gateway/storefront/storefront-files.ts` as the files it reads now: a bundle has no
 * storefront folder beside it. The module's interface stays `readStorefrontFiles()`.
 */
export const embedStorefront = (): Plugin =>
  embedAtBuild('gateway/storefront/storefront-files.ts', 'readStorefrontFiles', readStorefrontFiles);
