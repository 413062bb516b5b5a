import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadOnce } from '../../platform/load-once.ts';

/** The files of the swagger-ui-dist package that /docs serves, with their content types. */
export const swaggerUiAssets = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
} as const;

/** One of {@link swaggerUiAssets}. */
export type SwaggerUiAsset = keyof typeof swaggerUiAssets;

/** The package's folder in node_modules (beside dist/ in the image: a production dependency). */
function folder(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('swagger-ui-dist/package.json'));
}

const loaded = new Map<SwaggerUiAsset, () => Promise<Uint8Array<ArrayBuffer>>>();

/** An asset's bytes, read from the package on its first request and kept (about 2 MB in all). */
export function swaggerUiAsset(name: SwaggerUiAsset): Promise<Uint8Array<ArrayBuffer>> {
  let load = loaded.get(name);
  if (!load) {
    load = loadOnce(async () => readFile(join(folder(), name)));
    loaded.set(name, load);
  }
  return load();
}
