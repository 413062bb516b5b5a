import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A PostgreSQL server of a test's own (the binaries `npm run infra:up` installs), to stop and restart at will. */
export interface PrivatePostgres {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  remove(): Promise<void>;
}

/** As root, PostgreSQL runs as the package's `postgres` user. */
const asPostgres = (cmd: string, args: string[]) =>
  process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args);

/** Initialises and starts a throwaway cluster on `port`. */
export async function privatePostgres(port: number): Promise<PrivatePostgres> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(a) - Number(b));
  const bin = join('/usr/lib/postgresql', versions.at(-1)!, 'bin');
  const dir = await mkdtemp(join(tmpdir(), 'daprps-pg-'));
  if (process.getuid?.() === 0) await run('chown', ['postgres', dir]);
  await asPostgres(join(bin, 'initdb'), ['-D', dir, '-U', 'daprps', '--auth=trust']);
  const pgCtl = (...args: string[]) => asPostgres(join(bin, 'pg_ctl'), ['-D', dir, ...args]);
  const start = async () =>
    void (await pgCtl('-w', '-o', `-h 127.0.0.1 -p ${port} -k /tmp -c fsync=off`, '-l', join(dir, 'log'), 'start'));
  await start();
  return {
    url: `postgres://daprps@127.0.0.1:${port}/postgres`,
    stop: async () => void (await pgCtl('-w', '-m', 'immediate', 'stop')),
    start,
    remove: async () => {
      await pgCtl('-m', 'immediate', 'stop').catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
