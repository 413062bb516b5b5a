import { describe, expect, it } from 'vitest';
import { testLog } from '../../test/support/test-log.ts';
import { createHttpApp } from '../http/create-http-app.ts';
import { eventAuthFor, eventCaller, warnIfEventAuthOff, type EventAuth } from './event-caller.ts';

const TOKEN = 'app-api-token-of-product-on-payment-completed';

/** An event route behind the guard that counts what reached it. */
function route(auth: EventAuth) {
  const app = createHttpApp({ log: testLog, bodyLimitBytes: 1024 });
  let reached = 0;
  app.post('/product-payment-completed', eventCaller(auth), (c) => {
    reached++;
    return c.json({ status: 'SUCCESS' });
  });
  const post = async (headers: Record<string, string> = {}) => {
    const res = await app.request('/product-payment-completed', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{}',
    });
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
  };
  return { post, reached: () => reached };
}

describe('who may deliver to an event route', () => {
  it('refuses a delivery without the app API token, or with another, with 401, before anything is read', async () => {
    const r = route({ mode: 'token', token: TOKEN });
    const attempts: Record<string, string>[] = [
      {},
      { 'dapr-api-token': '' },
      { 'dapr-api-token': 'wrong' },
      { 'dapr-api-token': `${TOKEN}x` },
      { 'dapr-api-token': TOKEN.toUpperCase() },
      { authorization: `Bearer ${TOKEN}` },
    ];
    for (const headers of attempts) {
      const res = await r.post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.body.error).toEqual({
        code: 'unauthenticated',
        message: 'event deliveries need this function\'s app API token in "dapr-api-token"',
      });
    }
    expect(r.reached()).toBe(0);
  });

  it('takes a delivery carrying the token', async () => {
    const r = route({ mode: 'token', token: TOKEN });
    expect((await r.post({ 'dapr-api-token': TOKEN })).status).toBe(200);
    expect(r.reached()).toBe(1);
  });

  it('takes the token a KafkaSource presents as the CloudEvent attribute apptoken (ce-apptoken), and refuses another there with 401', async () => {
    const r = route({ mode: 'token', token: TOKEN });
    expect((await r.post({ 'ce-apptoken': TOKEN })).status).toBe(200);
    for (const headers of <Record<string, string>[]>[
      { 'ce-apptoken': 'wrong' },
      { 'ce-apptoken': '' },
      { 'ce-apptoken': TOKEN, 'dapr-api-token': 'wrong' },
      { 'ce-token': TOKEN },
    ]) {
      expect((await r.post(headers)).status, JSON.stringify(headers)).toBe(401);
    }
    expect(r.reached()).toBe(1);
  });

  it('refuses another app invoking the route through a sidecar (which adds the token) with 403', async () => {
    const r = route({ mode: 'token', token: TOKEN });
    const res = await r.post({ 'dapr-api-token': TOKEN, 'dapr-caller-app-id': 'process-payment' });
    expect(res.status).toBe(403);
    expect(res.body.error?.code).toBe('forbidden');
    expect(r.reached()).toBe(0);
  });

  it('with EVENT_AUTH=off takes deliveries from anyone but still no invocation by another app, and says so loudly', async () => {
    const r = route({ mode: 'off' });
    expect((await r.post()).status).toBe(200);
    expect((await r.post({ 'dapr-caller-app-id': 'x' })).status).toBe(403);
    const said: string[] = [];
    warnIfEventAuthOff({ mode: 'off' }, { warn: (_o, msg) => void said.push(msg) });
    warnIfEventAuthOff({ mode: 'token' }, { warn: (_o, msg) => void said.push(msg) });
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^!!! EVENT_AUTH=off: event routes are not authenticated/);
  });

  it('takes the token from APP_API_TOKEN, and never leaves a route open unless switched off', () => {
    expect(eventAuthFor({ mode: 'token', appApiToken: TOKEN })).toEqual({ mode: 'token', token: TOKEN });
    expect(eventAuthFor({ mode: 'off', appApiToken: TOKEN })).toEqual({ mode: 'off' });
    const dev = eventAuthFor({ mode: 'token' });
    expect(dev.mode).toBe('token');
    expect((dev as { token: string }).token.length).toBeGreaterThanOrEqual(32);
  });
});
