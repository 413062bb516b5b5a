import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/openapi/document.ts';
import { routes } from '../../functions/routes.ts';
import { loadConfig } from '../../platform/config.ts';
import { directives, referenced } from '../../test/support/browser.ts';
import { call, useEmbeddedGateway } from '../../test/support/running-shop.ts';
import { testLog } from '../../test/support/test-log.ts';
import { createGateway } from '../create-gateway.ts';

const swaggerUiDist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

describe('the API description on the gateway', () => {
  const gw = useEmbeddedGateway();

  it('serves /openapi.json: the generated document, as JSON under the API’s strict CSP', async () => {
    const res = await call(`${gw.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.body).toEqual(JSON.parse(JSON.stringify(await openApiDocument())));
  });

  it('serves /docs: an HTML page that loads only files of its own origin, under a CSP that allows nothing else', async () => {
    const res = await fetch(`${gw.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = directives(res.headers.get('content-security-policy')!);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    // Nothing but this origin, `data:` images (the UI's inline icons) and 'none'.
    for (const [name, sources] of Object.entries(csp))
      for (const s of sources)
        expect(["'self'", "'none'", ...(name === 'img-src' ? ['data:'] : [])], name).toContain(s);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/\sstyle=|<style/); // no inline style
    const urls = referenced(html);
    expect(urls.length).toBeGreaterThanOrEqual(5);
    for (const url of urls) expect(url, url).toMatch(/^\/(?!\/)/);
  });

  it('answers 200 for every file /docs references, with its type, the UI’s files as the package ships them', async () => {
    const html = await (await fetch(`${gw.url}/docs`)).text();
    const types: Record<string, RegExp> = {
      '.css': /^text\/css/,
      '.js': /^text\/javascript/,
      '.png': /^image\/png$/,
      '.json': /^application\/json/,
    };
    for (const url of referenced(html)) {
      const res = await fetch(`${gw.url}${url}`);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toMatch(types[url.slice(url.lastIndexOf('.'))]!);
      const name = url.replace('/docs/', '');
      const bytes = Buffer.from(await res.arrayBuffer());
      if (url.startsWith('/docs/') && name !== 'init.js')
        expect(bytes.equals(await readFile(join(swaggerUiDist, name))), url).toBe(true);
    }
    expect(referenced(html)).toEqual(
      expect.arrayContaining(['/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js', '/docs/init.js', '/openapi.json']),
    );
    const init = await (await fetch(`${gw.url}/docs/init.js`)).text();
    expect(init).toContain("url: '/openapi.json'");
    expect(init).toContain('validatorUrl: null'); // Swagger UI's default validator is another site
    // Kept in memory after the first request: the same bytes on every later one.
    const again = Buffer.from(await (await fetch(`${gw.url}/docs/swagger-ui-bundle.js`)).arrayBuffer());
    expect(again.equals(await readFile(join(swaggerUiDist, 'swagger-ui-bundle.js')))).toBe(true);
    expect((await call(`${gw.url}/docs/swagger-initializer.js`)).status).toBe(404);
    expect((await call(`${gw.url}/docs/..%2Fpackage.json`)).status).toBe(404);
  });

  it('lists every REST route of the route table on /docs, without JavaScript', async () => {
    const html = await (await fetch(`${gw.url}/docs`)).text();
    const listed = [...html.matchAll(/<li><code>(\w+) ([^<]+)<\/code>/g)].map((m) => `${m[1]} ${m[2]}`);
    const table = Object.values(routes).flatMap((r) =>
      r.kind === 'request' ? [`${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`] : [],
    );
    expect(listed.sort()).toEqual(table.sort());
  });

  it('keeps the strict CSP on every other answer', async () => {
    for (const path of ['/api/v1/products/kettle', '/api/v1/products/nothing', '/docs/nothing', '/health/live']) {
      const res = await fetch(`${gw.url}${path}`);
      expect(res.headers.get('content-security-policy'), path).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });

  it('serves both on a gateway forwarding to function URLs too (nothing of them is forwarded)', async () => {
    const remote = createGateway(loadConfig({ FUNCTION_URL_TEMPLATE: 'http://{name}.shop.svc' }), testLog);
    const doc = await remote.app.request('/openapi.json');
    expect(doc.status).toBe(200);
    expect(await doc.json()).toEqual(JSON.parse(JSON.stringify(await openApiDocument())));
    expect((await remote.app.request('/docs')).status).toBe(200);
    expect((await remote.app.request('/docs/swagger-ui.css')).status).toBe(200);
  });
});
