import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitHealthy } from '../scripts/topology.ts';
import { freePort } from '../test/infra.ts';
import { startNode, type NodeProcess } from '../test/node-process.ts';
import { stopProcess } from '../test/processes.ts';

describe('npm start (gateway/main.ts) on a data folder', () => {
  let tmp = '';
  const started: NodeProcess[] = [];
  afterAll(async () => {
    await Promise.all(started.map((p) => stopProcess(p.child)));
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });
  /** Starts the embedded gateway on `dataDir`; resolves once it is healthy, with its URL. */
  const startGateway = async (dataDir: string) => {
    const port = await freePort();
    const p = startNode(['gateway/main.ts'], { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    started.push(p);
    return { p, url: `http://127.0.0.1:${port}` };
  };

  it('refuses a second process on the folder, naming the first, which keeps serving; once the first stops, the folder starts again', async () => {
    tmp = await mkdtemp(join(tmpdir(), 'daprps-one-process-'));
    const dataDir = join(tmp, 'pglite'); // fresh: the first start runs initdb (~5 s)
    const first = await startGateway(dataDir);
    await waitHealthy(`${first.url}/health`, first.p.child, 'first gateway', 60_000);

    const second = await startGateway(dataDir);
    expect(await second.p.exited).not.toBe(0);
    expect(second.p.output()).toContain(`data folder ${dataDir} is in use by process ${first.p.child.pid} (node `);
    expect(second.p.output()).toContain('gateway/main.ts) since ');
    expect(second.p.output()).toContain(': stop it, or give this one another DATA_DIR');
    expect((await fetch(`${first.url}/api/v1/products/kettle`)).status).toBe(200);

    first.p.child.kill('SIGTERM');
    expect(await first.p.exited).toBe(0);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const third = await startGateway(dataDir);
    await waitHealthy(`${third.url}/health`, third.p.child, 'gateway after the first stopped', 60_000);
    expect((await fetch(`${third.url}/api/v1/products/kettle`)).status).toBe(200);
  }, 150_000);
});
