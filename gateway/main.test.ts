import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitHealthy } from '../scripts/topology.ts';
import { useServers } from '../test/support/node-process.ts';

describe('npm start (gateway/main.ts) on a data folder', () => {
  const servers = useServers();
  /** Starts the embedded gateway on `dataDir`. */
  const startGateway = (dataDir: string) => servers.serve(['gateway/main.ts'], { DATA_DIR: dataDir });

  it('refuses a second process on the folder, naming the first, which keeps serving; once the first stops, the folder starts again', async () => {
    const dataDir = join(await servers.folder('daprps-one-process-'), 'pglite'); // fresh: the first start runs initdb (~5 s)
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
