import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitHealthy } from '../scripts/topology.ts';
import { useServers } from '../test/support/node-process.ts';
import { copyPgliteTemplate } from '../test/support/pglite-template.ts';

describe('npm run fn (functions/serve-one.ts) on a data folder', () => {
  const servers = useServers();
  const serveAlone = (dataDir: string) =>
    servers.serve(['functions/serve-one.ts', 'get-product'], { DATA_DIR: dataDir });

  it('refuses a second process serving a function on the same folder, naming the first, which keeps serving', async () => {
    const dataDir = join(await servers.folder('daprps-fn-one-process-'), 'get-product');
    await copyPgliteTemplate(dataDir);
    const first = await serveAlone(dataDir);
    await waitHealthy(`${first.url}/health`, first.p.child, 'get-product', 60_000);

    const second = await serveAlone(dataDir);
    expect(await second.p.exited).not.toBe(0);
    expect(second.p.output()).toContain(`data folder ${dataDir} is in use by process ${first.p.child.pid} (node `);
    expect(second.p.output()).toContain('functions/serve-one.ts get-product) since ');
    expect((await fetch(`${first.url}/api/v1/products/kettle`)).status).toBe(200);
  }, 60_000);
});
