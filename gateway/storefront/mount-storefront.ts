import { createHash } from 'node:crypto';
import type { Context, Hono } from 'hono';
import type { Config } from '../../platform/config.ts';
import { ShopError } from '../../platform/errors.ts';
import type { RequestVars } from '../../platform/http/request-context.ts';
import { loadOnce } from '../../platform/load-once.ts';
import { mountDevSignIn } from './dev-sign-in.ts';

/** The storefront's files (gateway/storefront/), with their content types: all the page loads. */
const storefrontFiles = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'icon.svg': 'image/svg+xml',
} as const;

type StorefrontFile = keyof typeof storefrontFiles;

/**
 * The Content-Security-Policy of the storefront's page (every other answer keeps the API's
 * `default-src 'none'`): its script, style, icon and API calls from this origin only; no inline
 * script or style, no plugins, no form posted anywhere (the page's script sends them), no framing.
 */
export const STOREFRONT_CSP =
  "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The storefront (gateway/storefront/): `GET /` is its page, `GET /storefront/<file>` its script,
 * style and icon, each with a strong ETag (a reload sends If-None-Match and gets 304), read on the
 * first request. And, in development only, the sign-in it uses ({@link mountDevSignIn}).
 */
export function mountStorefront(app: Hono<{ Variables: RequestVars }>, config: Config): void {
  const files = loadOnce(async () => {
    const { readStorefrontFiles } = await import('./storefront-files.ts');
    const texts = await readStorefrontFiles();
    return new Map(
      (Object.keys(storefrontFiles) as StorefrontFile[]).map((name) => {
        const text = texts[name];
        if (text === undefined) throw new Error(`the storefront has no ${name}`);
        const body = new TextEncoder().encode(text);
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
        return [name, { body, etag }];
      }),
    );
  });
  const answer = async (c: Context, name: StorefrontFile, headers: Record<string, string> = {}) => {
    const file = (await files()).get(name)!;
    const common = { etag: file.etag, 'cache-control': 'no-cache', ...headers };
    if (c.req.header('if-none-match') === file.etag) return c.body(null, 304, common);
    return c.body(file.body, 200, { 'content-type': storefrontFiles[name], ...common });
  };
  app.get('/', (c) => answer(c, 'index.html', { 'content-security-policy': STOREFRONT_CSP }));
  app.get('/storefront/:file', (c) => {
    const name = c.req.param('file');
    if (name === 'index.html' || !Object.hasOwn(storefrontFiles, name))
      throw new ShopError('not_found', `no file ${c.req.path}`);
    return answer(c, name as StorefrontFile);
  });
  mountDevSignIn(app, config);
}
