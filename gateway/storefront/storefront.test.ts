import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../platform/config.ts';
import { serve } from '../../platform/http/serve.ts';
import { toolsInstalled } from '../../scripts/k8s/validate.ts';
import { directives, referenced } from '../../test/support/browser.ts';
import { requireTool } from '../../test/support/infra.ts';
import { renderProdWith, testSettings } from '../../test/support/prod-settings.ts';
import { call, GATEWAY_ADMIN, useEmbeddedGateway } from '../../test/support/running-shop.ts';
import { testLog } from '../../test/support/test-log.ts';
import { createGateway } from '../create-gateway.ts';
import { STOREFRONT_CSP } from './mount-storefront.ts';

const root = new URL('../..', import.meta.url).pathname;
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** A gateway forwarding to function URLs (nothing runs in it): enough to see its own routes. */
const gatewayWith = (env: Record<string, string>) =>
  createGateway(loadConfig({ FUNCTION_URL_TEMPLATE: 'http://{name}.shop.svc', ...env }), testLog).app;

const signIn = (app: ReturnType<typeof gatewayWith>, body: unknown = { user: 'alice' }) =>
  app.request('/dev/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the storefront at /', () => {
  // No JWT_SECRET: the development secret, as `npm start` has it (the dev sign-in is on).
  const gw = useEmbeddedGateway({ JWT_SECRET: '' });

  it('serves its page under a CSP allowing only its own origin, with no inline script or style', async () => {
    const res = await fetch(`${gw.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(STOREFRONT_CSP);
    const csp = directives(res.headers.get('content-security-policy')!);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['form-action']).toEqual(["'none'"]);
    for (const [name, sources] of Object.entries(csp))
      for (const s of sources) expect(["'self'", "'none'"], name).toContain(s);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/);
    for (const url of referenced(html)) expect(url, url).toMatch(/^(\/(?!\/)|#)/);
  });

  it('answers every file the page loads, with its type and an ETag that makes a reload a 304', async () => {
    const html = await (await fetch(`${gw.url}/`)).text();
    const files = referenced(html).filter((u) => u.startsWith('/storefront/'));
    expect(files.sort()).toEqual(['/storefront/app.js', '/storefront/icon.svg', '/storefront/style.css']);
    const types: Record<string, string> = {
      js: 'text/javascript; charset=utf-8',
      css: 'text/css; charset=utf-8',
      svg: 'image/svg+xml',
    };
    for (const url of files) {
      const res = await fetch(`${gw.url}${url}`);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toBe(types[url.split('.').pop()!]);
      expect(await res.text()).toBe(await readFile(`${root}/gateway${url}`, 'utf8'));
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]{22}"$/);
      const again = await fetch(`${gw.url}${url}`, { headers: { 'if-none-match': etag } });
      expect(again.status, url).toBe(304);
      expect(await again.text()).toBe('');
    }
  });

  it('serves nothing else from its folder, and keeps the strict CSP on everything else', async () => {
    for (const path of [
      '/storefront/index.html',
      '/storefront/mount-storefront.ts',
      '/storefront/..%2F..%2Fpackage.json',
      '/storefront/nothing.js',
      '/index.html',
    ]) {
      const res = await call(`${gw.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBe('not_found');
      expect(res.headers.get('content-security-policy'), path).toBe(API_CSP);
    }
    for (const path of ['/storefront/app.js', '/api/v1/products/kettle', '/dev/sign-in'])
      expect((await fetch(`${gw.url}${path}`)).headers.get('content-security-policy'), path).toBe(API_CSP);
  });

  it('builds the page from DOM nodes only: its script never turns text into HTML', async () => {
    const app = await readFile(`${root}/gateway/storefront/app.js`, 'utf8');
    expect(app).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect(app).not.toMatch(/https?:\/\//); // nothing from another origin
  });

  it('signs a person in by name, in development: a token for that user only, never an admin', async () => {
    expect((await call(`${gw.url}/dev/sign-in`)).body).toEqual({ dev_sign_in: true });
    const res = await call(`${gw.url}/dev/sign-in`, 'POST', { user: 'sf-alice' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.user_id).toBe('sf-alice');
    expect(Date.parse(res.body.expires_at)).toBeGreaterThan(Date.now());
    const alice = { authorization: `Bearer ${res.body.token}` };
    expect((await call(`${gw.url}/api/v1/baskets/sf-alice`, 'GET', undefined, alice)).status).toBe(200);
    const bobs = await call(`${gw.url}/api/v1/baskets/sf-bob`, 'GET', undefined, alice);
    expect(bobs.status).toBe(403);
    const product = { name: 'x', category: 'x', price: { amount_minor: 1, currency: 'USD' }, stock: 1 };
    expect((await call(`${gw.url}/api/v1/products`, 'POST', product, alice)).status).toBe(403);
    // Asking for more than a user name changes nothing: the body is a user's name, and only that.
    const admin = await call(`${gw.url}/dev/sign-in`, 'POST', { user: 'sf-boss', admin: true, roles: ['admin'] });
    const boss = { authorization: `Bearer ${admin.body.token}` };
    expect((await call(`${gw.url}/api/v1/products`, 'POST', product, boss)).status).toBe(403);
    expect(
      (await call(`${gw.url}/api/v1/products`, 'POST', product, { authorization: `Bearer ${GATEWAY_ADMIN}` })).status,
    ).toBe(201);
  });

  it('answers only requests addressed to loopback: not a name rebound to it, nor another machine', async () => {
    const port = new URL(gw.url).port;
    const ask = (method: string, host: string) =>
      new Promise<{ status: number; body: any }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/dev/sign-in',
            method,
            headers: { host, 'content-type': 'application/json' },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
          },
        );
        req.once('error', reject);
        req.end(method === 'POST' ? JSON.stringify({ user: 'sf-alice' }) : undefined);
      });
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost'])
      for (const method of ['GET', 'POST']) expect((await ask(method, host)).status, `${method} ${host}`).toBe(200);
    for (const host of [`rebound.example:${port}`, `192.168.1.20:${port}`, 'localhost.example.com', '127.0.0.1.nip.io'])
      for (const method of ['GET', 'POST']) {
        const res = await ask(method, host);
        expect(res.status, `${method} ${host}`).toBe(403);
        expect(res.body.error.message).toMatch(/localhost only/);
        expect(res.body.token).toBeUndefined();
      }
  });

  it('answers only requests sent from loopback: a Host of localhost from elsewhere is refused, whatever headers say', async () => {
    const app = gatewayWith({});
    // What node's server hands the app: the request, and its socket's peer address.
    const from = (remoteAddress: string, headers: Record<string, string> = {}) =>
      app.fetch(
        new Request('http://localhost:8080/dev/sign-in', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ user: 'sf-alice' }),
        }),
        { incoming: { socket: { remoteAddress } } },
      );
    for (const peer of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1'])
      expect((await from(peer)).status, peer).toBe(200);
    for (const peer of ['192.168.1.20', '172.17.0.1', '::ffff:10.0.0.5', 'fd00::2', '::'])
      for (const headers of [{}, { 'x-forwarded-for': '127.0.0.1' }, { 'x-real-ip': '::1' }] as Record<
        string,
        string
      >[]) {
        const res = await from(peer, headers);
        expect(res.status, `${peer} ${JSON.stringify(headers)}`).toBe(403);
        expect(((await res.json()) as any).token).toBeUndefined();
      }
  });

  const outside = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
  // Only another address of this machine can ask as a peer that is not loopback; without one the
  // test cannot run, which is said (and with REQUIRE_INFRA=1 fails) rather than passed over.
  const anotherAddress = requireTool(
    'storefront `Host: localhost` from another address',
    outside
      ? { ok: true }
      : { ok: false, message: 'this machine has no IPv4 address outside loopback (os.networkInterfaces())' },
  );
  it.runIf(anotherAddress)(
    'refuses `Host: localhost` from another address of a gateway listening on every interface',
    async () => {
      const server = await serve({ fetch: gatewayWith({}).fetch, port: 0, host: '0.0.0.0' });
      try {
        const ask = (host: string) =>
          new Promise<number>((resolve, reject) => {
            const req = request(
              { host, port: server.port, path: '/dev/sign-in', headers: { host: `localhost:${server.port}` } },
              (res) => {
                res.resume();
                resolve(res.statusCode!);
              },
            );
            req.once('error', reject);
            req.end();
          });
        expect(await ask('127.0.0.1')).toBe(200);
        expect(await ask(outside!)).toBe(403);
      } finally {
        await server.close();
      }
    },
  );

  it('refuses a bad name with the field at fault, and a body that is not JSON', async () => {
    for (const user of ['', 'a b', 'x'.repeat(65), 7]) {
      const res = await call(`${gw.url}/dev/sign-in`, 'POST', { user });
      expect(res.status, String(user)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_argument', field: 'user' });
    }
    const form = await call(`${gw.url}/dev/sign-in`, 'POST', 'user=alice', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    expect((await call(`${gw.url}/dev/sign-in`, 'POST', '{', { 'content-type': 'application/json' })).status).toBe(400);
  });
});

describe('the development sign-in exists only where the process signs with the development secret', () => {
  it('is on with AUTH=jwt and no JWT_SECRET or JWT_JWKS_URL, when NODE_ENV is unset, development or test', async () => {
    const envs: Record<string, string>[] = [{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }, { AUTH: 'jwt' }];
    for (const env of envs) {
      expect(loadConfig(env).devSignIn, JSON.stringify(env)).toBe(true);
      const res = await signIn(gatewayWith(env));
      expect(res.status, JSON.stringify(env)).toBe(200);
    }
  });

  it('is absent (404, like any unknown path) with a secret, an identity provider, AUTH=off, or any other NODE_ENV', async () => {
    const secret = 'a-shared-secret-of-at-least-32-characters';
    const envs: Record<string, string>[] = [
      { JWT_SECRET: secret },
      { JWT_JWKS_URL: 'https://id.ci.test/.well-known/jwks.json' },
      { AUTH: 'off' },
      { NODE_ENV: 'production' },
      { NODE_ENV: 'staging' },
      { NODE_ENV: 'Production' },
    ];
    for (const env of envs) {
      expect(loadConfig(env).devSignIn, JSON.stringify(env)).toBe(false);
      const app = gatewayWith(env);
      for (const res of [await signIn(app), await app.request('/dev/sign-in')]) {
        expect(res.status, JSON.stringify(env)).toBe(404);
        expect(((await res.json()) as any).error.code).toBe('not_found');
      }
      expect((await app.request('/')).status, JSON.stringify(env)).toBe(200); // the page is there, without it
    }
  });
});

/** The environment of the prod gateway's container: the image's ENV, then the rendered ConfigMap and literal env. */
async function prodGatewayEnv(literals: string[]): Promise<Record<string, string>> {
  const dockerfile = await readFile(`${root}/Dockerfile`, 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const m of runtime.matchAll(/^ENV ((?:.*\\\n)*.*)$/gm))
    for (const pair of m[1]!.matchAll(/([A-Z_]+)=(\S+)/g)) env[pair[1]!] = pair[2]!;
  const objects = parseAllDocuments(await renderProdWith({ image: testSettings.image, literals }))
    .map((d) => d.toJS() as any)
    .filter(Boolean);
  const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('daprps-config'));
  const gateway = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'gateway');
  Object.assign(env, config.data);
  for (const e of gateway.spec.template.spec.containers[0].env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

describe.runIf(requireTool('kustomize', toolsInstalled()))('the prod settings', () => {
  it('have no development sign-in: the image says NODE_ENV=production and the operator supplies an identity provider', async () => {
    const env = await prodGatewayEnv([`JWT_JWKS_URL=${testSettings.jwks}`]);
    expect(env.NODE_ENV).toBe('production');
    expect(env.JWT_JWKS_URL).toBe(testSettings.jwks);
    const config = loadConfig(env);
    expect(config.devSignIn).toBe(false);
    const app = createGateway(config, testLog).app;
    expect((await signIn(app)).status).toBe(404);
    expect((await app.request('/dev/sign-in')).status).toBe(404);
  });

  it('have none either when the operator forgot the identity provider (the image alone keeps it out)', async () => {
    const env = await prodGatewayEnv([]);
    expect(env.JWT_JWKS_URL).toBeUndefined();
    expect(env.JWT_SECRET).toBeUndefined();
    const config = loadConfig(env);
    expect(config.devSignIn).toBe(false);
    expect((await signIn(createGateway(config, testLog).app)).status).toBe(404);
    // The same settings outside the image (no NODE_ENV) would have it: the image's ENV is what keeps it out.
    const { NODE_ENV: _, ...outside } = env;
    expect(loadConfig(outside).devSignIn).toBe(true);
  });
});
