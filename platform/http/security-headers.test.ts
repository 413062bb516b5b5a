import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { testLog } from '../../test/support/test-log.ts';
import { answer } from './answer.ts';
import { createHttpApp } from './create-http-app.ts';
import { SECURITY_HEADERS, securityHeaders } from './security-headers.ts';

/** An app with a route answering through Hono (headers added after it) and one answering whole. */
function app() {
  const a = createHttpApp({ log: testLog, bodyLimitBytes: 1024 });
  a.get('/hono', (c) => c.json({ ok: true }));
  a.get('/whole', (c) => answer(c, 200, '{"ok":true}', { 'content-type': 'application/json' }));
  a.get('/own-csp/hono', (c) => c.html('<p>docs</p>', 200, { 'Content-Security-Policy': "default-src 'self'" }));
  a.get('/own-csp/whole', (c) => answer(c, 200, '<p>docs</p>', { 'content-security-policy': "default-src 'self'" }));
  return a;
}

const withoutRequestId = (res: Response) => [...res.headers].filter(([name]) => name !== 'x-request-id');

describe('security headers', () => {
  it('as one record are what the middleware (hono/secure-headers) sets', async () => {
    const hono = new Hono();
    hono.use(securityHeaders());
    hono.get('/', (c) => c.body(null, 204));
    const res = await hono.request('/');
    expect(Object.fromEntries(res.headers)).toEqual(SECURITY_HEADERS);
  });

  it('go out the same, with the request id, whether the answer was made whole or through Hono', async () => {
    const a = app();
    const [hono, whole] = await Promise.all(
      ['/hono', '/whole'].map((path) => a.request(path, { headers: { 'x-request-id': 'req-1' } })),
    );
    expect(withoutRequestId(whole!)).toEqual(withoutRequestId(hono!));
    expect(Object.fromEntries(whole!.headers)).toMatchObject({ ...SECURITY_HEADERS, 'x-request-id': 'req-1' });
    expect(hono!.headers.get('x-request-id')).toBe('req-1');
    expect(await whole!.json()).toEqual(await hono!.json());
  });

  it("leave an answer's own header as it is, on either path", async () => {
    const a = app();
    for (const path of ['/own-csp/hono', '/own-csp/whole']) {
      const res = await a.request(path);
      expect(res.headers.get('content-security-policy'), path).toBe("default-src 'self'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-request-id'), path).toMatch(/^[\w-]{36}$/);
    }
  });
});
