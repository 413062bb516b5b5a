import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema } from '../test/support/running-shop.ts';
import { loadConfig } from '../platform/config.ts';
import { createHttpApp } from '../platform/http/create-http-app.ts';
import { freePort, infraUrls, requireInfra, uniqueName } from '../test/support/infra.ts';
import { startRedis } from '../test/support/private-redis.ts';
import { stopProcess } from '../test/support/stop-process.ts';
import { buildRuntime, type Runtime } from './build-runtime.ts';
import { readinessChecks } from './readiness.ts';
import { registry } from './registry.ts';
import type { FunctionName } from './routes.ts';
import { testLog } from '../test/support/test-log.ts';

describe.runIf(await requireInfra('postgres'))(
  'readiness of a function served alone (PostgreSQL, a Redis of its own)',
  () => {
    let redis: ChildProcess | undefined;
    let runtime: Runtime | undefined;
    const env = { DATABASE_URL: infraUrls.postgres, DATABASE_SCHEMA: uniqueName('ready') };
    afterAll(async () => {
      await runtime?.close();
      if (redis) await stopProcess(redis);
      await dropSchema(env);
    });

    it('reflects only the dependencies that function needs: Redis down makes add-to-basket unready, not get-product', async () => {
      const port = await freePort();
      redis = await startRedis(port);
      runtime = await buildRuntime(
        loadConfig({ ...env, REDIS_URL: `redis://127.0.0.1:${port}`, LOG_LEVEL: 'silent' }),
        testLog,
        { relay: false },
      );
      const ready = async (name: FunctionName) => {
        const app = createHttpApp({
          log: testLog,
          bodyLimitBytes: 1024,
          info: { function: name },
          checks: readinessChecks(registry[name], runtime!),
        });
        const res = await app.request('/health/ready');
        return { status: res.status, body: (await res.json()) as { checks: Record<string, unknown> } };
      };
      expect(await ready('add-to-basket')).toMatchObject({
        status: 200,
        body: { checks: { database: { ok: true }, redis: { ok: true } } },
      });
      await stopProcess(redis);
      const basket = await ready('add-to-basket');
      expect(basket).toMatchObject({
        status: 503,
        body: { status: 'unavailable', checks: { database: { ok: true }, redis: { ok: false } } },
      });
      const product = await ready('get-product');
      expect(product).toMatchObject({ status: 200, body: { checks: { database: { ok: true } } } });
      expect(Object.keys(product.body.checks)).toEqual(['database']);
      expect(Object.keys((await ready('process-payment')).body.checks)).toEqual(['database', 'redis', 'events']);
    }, 30_000);
  },
);
