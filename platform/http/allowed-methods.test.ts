import { describe, expect, it } from 'vitest';
import { createLog } from '../log.ts';
import { registry } from '../metrics.ts';
import { createHttpApp } from './create-http-app.ts';

/** An app with the shape of the shop's routes: a collection, an item, a literal beside a parameter. */
function app() {
  const a = createHttpApp({ log: createLog('test', 'silent'), bodyLimitBytes: 1024 });
  a.get('/things', (c) => c.json([]));
  a.post('/things', (c) => c.json({}, 201));
  a.get('/things/:id', (c) => c.json({ id: c.req.param('id') }));
  a.put('/things/:id', (c) => c.json({ id: c.req.param('id') }));
  a.delete('/things/:id', (c) => c.body(null, 204));
  a.post('/things/add', (c) => c.json({}));
  return a;
}

describe('a method a path does not have', () => {
  it('answers 405 with Allow listing the methods of that path, in the JSON error shape', async () => {
    const res = await app().request('/things/x', { method: 'PATCH' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, PUT, DELETE, OPTIONS');
    expect(await res.json()).toEqual({
      error: {
        code: 'method_not_allowed',
        message: 'PATCH is not allowed on /things/x; it allows GET, HEAD, PUT, DELETE, OPTIONS',
      },
    });
    const collection = await app().request('/things', { method: 'DELETE' });
    expect(collection.status).toBe(405);
    expect(collection.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
  });

  it('answers 405 on a path a route names literally, before a route with a parameter can take it as a value', async () => {
    const a = app();
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH']) {
      const res = await a.request('/things/add', { method }); // not GET, PUT or DELETE /things/:id for id "add"
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow'), method).toBe('POST, OPTIONS');
    }
    expect(await (await a.request('/things/add')).json()).toEqual({
      error: { code: 'method_not_allowed', message: 'GET is not allowed on /things/add; it allows POST, OPTIONS' },
    });
    const options = await a.request('/things/add', { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('POST, OPTIONS');
    expect((await a.request('/things/add', { method: 'POST' })).status).toBe(200);
    // Any other value still reaches the route with the parameter.
    expect(await (await a.request('/things/adds', { method: 'PUT' })).json()).toEqual({ id: 'adds' });
  });

  it('answers 405 before the middleware added after the app, once every middleware it runs behind let the request through', async () => {
    const seen: string[] = [];
    const a = createHttpApp({
      log: createLog('test', 'silent'),
      bodyLimitBytes: 1024,
      edge: [
        async function edge(c, next) {
          seen.push(`edge ${c.req.method}`);
          await next();
        },
      ],
    });
    a.use(async (c, next) => {
      seen.push(`later ${c.req.method}`);
      await next();
    });
    a.post('/things/add', (c) => c.json({}));
    a.get('/things/:id', (c) => c.json({ id: c.req.param('id') }));
    expect((await a.request('/things/add')).status).toBe(405);
    expect((await a.request('/things/add', { method: 'POST' })).status).toBe(200);
    expect(seen).toEqual(['edge GET', 'edge POST', 'later POST']);
  });

  it('still answers the methods a path has, HEAD with its GET, and 404 for a path no route has', async () => {
    const a = app();
    expect((await a.request('/things/x')).status).toBe(200);
    expect((await a.request('/things/x', { method: 'HEAD' })).status).toBe(200);
    expect((await a.request('/things', { method: 'POST' })).status).toBe(201);
    const unknown = await a.request('/nothing/here', { method: 'PATCH' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('allow')).toBeNull();
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await a.request('/things/x/y', { method: 'DELETE' })).status).toBe(404);
    expect((await a.request('/things/', { method: 'PATCH' })).status).toBe(404);
  });

  it('answers OPTIONS on a known path with 204 and Allow, and 404 on an unknown one', async () => {
    const res = await app().request('/things/x', { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, HEAD, PUT, DELETE, OPTIONS');
    expect((await app().request('/nothing', { method: 'OPTIONS' })).status).toBe(404);
  });

  it('counts a 405 under the pattern of the path, not the raw path', async () => {
    const series = 'http_requests_total{route="/things/:id",method="PATCH",status="405"}';
    const count = async () =>
      Number(
        (await registry.metrics())
          .split('\n')
          .find((l) => l.startsWith(`${series} `))
          ?.slice(series.length + 1) ?? 0,
      );
    const before = await count();
    await app().request('/things/some-id-123', { method: 'PATCH' });
    expect(await count()).toBe(before + 1);
    expect(await registry.metrics()).not.toContain('some-id-123');
  });
});
