import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.ts';
import { copyPgliteTemplate } from '../test/support/pglite-template.ts';
import { freePorts } from '../test/support/infra.ts';
import { buildRuntime } from './build-runtime.ts';
import { testLog } from '../test/support/test-log.ts';

describe('the embedded runtime', () => {
  let dir = '';
  afterAll(async () => dir && rm(dir, { recursive: true, force: true }));

  it('keeps its data across restarts and seeds the demo catalog on the first start only', async () => {
    dir = await mkdtemp(join(tmpdir(), 'daprps-runtime-'));
    const config = loadConfig({ DATA_DIR: dir });
    const first = await buildRuntime(config, testLog, { relay: false });
    const seeded = await first.deps.products.list({ limit: 100, offset: 0 });
    expect(seeded.total).toBeGreaterThanOrEqual(20);
    await first.deps.products.delete('kettle');
    await first.deps.products.adjustStock('mouse', -5, first.deps.now());
    await first.close();

    const second = await buildRuntime(config, testLog, { relay: false });
    expect(await second.deps.products.get('kettle')).toBeUndefined();
    expect((await second.deps.products.get('mouse'))?.stock).toBe(30);
    expect((await second.deps.products.list({ limit: 100, offset: 0 })).total).toBe(seeded.total - 1);
    await second.close();
  }, 60_000);

  it('opens only what the needs name: unreachable Redis and Kafka do not stop a function needing the database', async () => {
    dir ||= await mkdtemp(join(tmpdir(), 'daprps-runtime-'));
    const data = join(dir, 'needs');
    await copyPgliteTemplate(data);
    const [closed] = await freePorts(1); // nothing listens there
    const config = loadConfig({
      DATA_DIR: data,
      REDIS_URL: `redis://127.0.0.1:${closed}`,
      KAFKA_BROKERS: `127.0.0.1:${closed}`,
    });
    const runtime = await buildRuntime(config, testLog, { relay: true, needs: ['database'] });
    try {
      expect(Object.keys(runtime.checks)).toEqual(['database']);
      expect(runtime.relay).toBeUndefined();
      expect((await runtime.deps.products.list({ limit: 1, offset: 0 })).products).toHaveLength(1);
      expect(() => runtime.deps.baskets.get('alice')).toThrow(/basket store was not opened: .* need "redis"/);
      expect(() => runtime.bus.publish('payment-completed', 'k', {} as never)).toThrow(
        /event bus was not opened: .* need "events"/,
      );
    } finally {
      await runtime.close();
    }
    // Needing Redis there, the same configuration fails, naming it.
    await expect(buildRuntime(config, testLog, { relay: false, needs: ['redis'] })).rejects.toThrow(
      /Redis is unreachable/,
    );
  }, 60_000);
});
