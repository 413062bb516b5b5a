import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitHealthy } from '../scripts/topology.ts';
import { freePort } from '../test/infra.ts';
import { startNode, type NodeProcess } from '../test/node-process.ts';
import { copyPgliteTemplate } from '../test/pglite-template.ts';
import { stopProcess } from '../test/processes.ts';

describe('npm run fn (functions/serve-one.ts) on a data folder', () => {
  let tmp = '';
  const started: NodeProcess[] = [];
  afterAll(async () => {
    await Promise.all(started.map((p) => stopProcess(p.child)));
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });
  const serveAlone = async (dataDir: string) => {
    const port = await freePort();
    const p = startNode(['functions/serve-one.ts', 'get-product'], { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    started.push(p);
    return { p, url: `http://127.0.0.1:${port}` };
  };

  it('refuses a second process serving a function on the same folder, naming the first, which keeps serving', async () => {
    tmp = await mkdtemp(join(tmpdir(), 'daprps-fn-one-process-'));
    const dataDir = join(tmp, 'get-product');
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
