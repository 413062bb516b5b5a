import type { Hono } from 'hono';
import { ShopError } from '../../platform/errors.ts';
import type { RequestVars } from '../../platform/http/request-context.ts';
import { loadOnce } from '../../platform/load-once.ts';
import { DOCS_CSP, DOCS_INIT_JS, docsPage } from './docs-page.ts';
import { swaggerUiAsset, swaggerUiAssets, type SwaggerUiAsset } from './swagger-ui-assets.ts';

/**
 * Serves the API's description: `GET /openapi.json` (the OpenAPI 3.1 document, generated from the
 * definitions on its first request, then kept) and `GET /docs`, an interactive reference (Swagger
 * UI, from the swagger-ui-dist package's files, served under /docs/: nothing comes from
 * elsewhere). Nothing of it loads before its first request: the generator, the protobuf
 * descriptors and the UI's files are read then.
 */
export function mountApiDocs(app: Hono<{ Variables: RequestVars }>): void {
  const document = loadOnce(async () => {
    const { openApiDocument } = await import('../../functions/openapi/document.ts');
    const doc = await openApiDocument();
    return { json: JSON.stringify(doc), page: docsPage(doc) };
  });
  app.get('/openapi.json', async (c) => c.body((await document()).json, 200, { 'content-type': 'application/json' }));
  app.get('/docs', async (c) =>
    c.html((await document()).page, 200, { 'content-security-policy': DOCS_CSP, 'cache-control': 'no-cache' }),
  );
  app.get('/docs/init.js', (c) => c.body(DOCS_INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/:asset', async (c) => {
    const name = c.req.param('asset');
    if (!Object.hasOwn(swaggerUiAssets, name)) throw new ShopError('not_found', `no file ${c.req.path}`);
    return c.body(await swaggerUiAsset(name as SwaggerUiAsset), 200, {
      'content-type': swaggerUiAssets[name as SwaggerUiAsset],
      'cache-control': 'public, max-age=3600',
    });
  });
}
