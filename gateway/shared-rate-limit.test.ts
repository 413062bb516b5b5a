import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testLog } from '../test/support/test-log.ts';
import { loadConfig } from '../platform/config.ts';
import { LIMITER_TIMEOUT_MS, openLimiterRedis } from '../platform/http/limiter-redis.ts';
import { serve, type Server } from '../platform/http/serve.ts';
import { freePort, infraUrls, requireInfra, uniqueName } from '../test/support/infra.ts';
import { startRedis } from '../test/support/private-redis.ts';
import { stopProcess } from '../test/support/stop-process.ts';
import { createGateway } from './create-gateway.ts';

type App = ReturnType<typeof createGateway>['app'];

describe.runIf(await requireInfra('redis'))('rate limits shared by the gateway replicas through Redis', () => {
  let upstream: Server;
  const clients: Redis[] = [];
  let privateRedis: ChildProcess | undefined;
  beforeAll(async () => {
    upstream = await serve({ fetch: () => Response.json({ id: 'mug' }), port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    if (privateRedis) await stopProcess(privateRedis);
    await upstream?.close();
  });

  /**
   * Two gateway replicas (functions forwarded to a stub), each with its own Redis client as two
   * pods have, on one Redis and one prefix.
   */
  async function twoReplicas(redisUrl: string, env: Record<string, string> = {}): Promise<App[]> {
    const config = loadConfig({
      FUNCTION_URL_TEMPLATE: `http://127.0.0.1:${upstream.port}/{name}`,
      RATE_LIMIT_BURST: '5',
      RATE_LIMIT_PER_MINUTE: '1',
      TRUST_PROXY_HOPS: '1',
      REDIS_PREFIX: `${uniqueName('rl')}:`,
      ...env,
    });
    const redis = await Promise.all([openLimiterRedis(redisUrl), openLimiterRedis(redisUrl)]);
    clients.push(...redis);
    return redis.map((r) => createGateway(config, testLog, undefined, r).app);
  }

  const get = (app: App, headers: Record<string, string>) => app.request('/api/v1/products/mug', { headers });
  const from = (client: string) => ({ 'x-forwarded-for': client });
  /** The statuses of `n` requests from `client`, alternating between the replicas. */
  const alternate = async (apps: App[], n: number, headers: Record<string, string>) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push((await get(apps[i % 2]!, headers)).status);
    return statuses;
  };

  it('gives a client its burst once across two replicas, then 429 with Retry-After on both; another client is unaffected', async () => {
    const apps = await twoReplicas(infraUrls.redis);
    expect(await alternate(apps, 8, from('203.0.113.9'))).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    for (const app of apps) {
      const res = await get(app, from('203.0.113.9'));
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(50); // perMinute 1: a token a minute
      expect(await res.json()).toMatchObject({ error: { code: 'rate_limited' } });
    }
    expect(await alternate(apps, 2, from('198.51.100.4'))).toEqual([200, 200]);
  });

  it('counts one client once behind Knative, however many proxies appended to X-Forwarded-For, with the ingress header', async () => {
    const apps = await twoReplicas(infraUrls.redis, {
      CLIENT_IP_HEADER: 'x-envoy-external-address',
      TRUST_PROXY_HOPS: '0',
    });
    // Kourier sets the header; the activator, when in the path, adds an X-Forwarded-For entry.
    const direct = { 'x-envoy-external-address': '203.0.113.20', 'x-forwarded-for': '203.0.113.20, 10.0.0.5' };
    const viaActivator = { ...direct, 'x-forwarded-for': '203.0.113.20, 10.0.0.5, 10.0.0.9' };
    const statuses = [...(await alternate(apps, 3, direct)), ...(await alternate(apps, 3, viaActivator))];
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('keeps answering while Redis is slow (each replica asks it once, then limits on its own for a pause) and after it is gone', async () => {
    const port = await freePort();
    privateRedis = await startRedis(port);
    const apps = await twoReplicas(`redis://127.0.0.1:${port}`);
    expect(await alternate(apps, 6, from('203.0.113.30'))).toEqual([200, 200, 200, 200, 200, 429]);

    // Each waits for Redis at most LIMITER_TIMEOUT_MS (what the counts below cannot see).
    for (const c of clients.slice(-2)) expect(c.options.commandTimeout).toBe(LIMITER_TIMEOUT_MS);
    // What each replica asks of Redis: the commands its client sends.
    const sent = clients.slice(-2).map((c) => vi.spyOn(c, 'sendCommand'));
    const asked = () => sent.map((spy) => spy.mock.calls.length);
    const admin = new Redis(`redis://127.0.0.1:${port}`);
    await admin.call('CLIENT', 'PAUSE', '2000', 'ALL'); // Redis answers nobody for 2 s
    admin.disconnect();
    const first = await get(apps[0]!, from('203.0.113.31'));
    // Answered although Redis did not: the command timed out (LIMITER_TIMEOUT_MS) and the replica decided alone.
    expect(first.status).toBe(200);
    expect(asked()).toEqual([1, 0]);
    const whileSlow = [first.status, ...(await alternate(apps, 11, from('203.0.113.31')))];
    // One timeout per replica, then each skips Redis for its pause: one command each, not one per request.
    expect(asked()).toEqual([1, 1]);
    expect(whileSlow.filter((s) => s === 200)).toHaveLength(10); // 5 per replica

    await stopProcess(privateRedis);
    privateRedis = undefined;
    const whileGone = await alternate(apps, 12, from('203.0.113.32'));
    expect(whileGone.filter((s) => s === 200)).toHaveLength(10);
  });
});
