import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.ts';
import { buildRuntime } from './build-deps.ts';
import { testLog } from './test-deps.ts';

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
});
