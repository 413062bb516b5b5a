import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitedPid, outputHolding, startNode, type NodeProcess } from '../../test/support/node-process.ts';
import { stopProcess } from '../../test/support/stop-process.ts';
import { lockFolder, type FolderLock } from './folder-lock.ts';
import { procStartTime } from './process-identity.ts';

const linux = existsSync('/proc/self/stat');

/**
 * A process that tries to lock DIR (at START_AT, if given), says `held` or `refused: <why>`, then
 * waits to be killed.
 */
const contender = `
const { lockFolder } = await import(process.env.LOCK_MODULE);
while (Date.now() < Number(process.env.START_AT ?? 0));
console.log(await lockFolder(process.env.DIR).then(() => 'held', (e) => 'refused: ' + e.message));
if (process.env.THEN_EXIT) process.exit(0);
setInterval(() => {}, 60_000);
`;

describe('lockFolder', () => {
  let tmp = '';
  let dir = '';
  let lockFile = '';
  const locks: FolderLock[] = [];
  const children: NodeProcess[] = [];
  const contend = (env: Record<string, string> = {}) => {
    const p = startNode(['--input-type=module', '-e', contender], {
      LOCK_MODULE: new URL('./folder-lock.ts', import.meta.url).href,
      DIR: dir,
      ...env,
    });
    children.push(p);
    return p;
  };
  /** The first line a contender says. */
  const said = async (p: NodeProcess) => (await outputHolding(p, '\n')).split('\n')[0]!;
  const take = async (...args: Parameters<typeof lockFolder>) => {
    const lock = await lockFolder(...args);
    locks.push(lock);
    return lock;
  };
  /** Writes a lock file as another process would have. */
  const fakeLock = (holder: Record<string, unknown>) =>
    writeFile(
      lockFile,
      JSON.stringify({
        pid: 1,
        host: hostname(),
        command: 'node old.js',
        since: '2020-01-01T00:00:00.000Z',
        ...holder,
      }),
    );

  beforeEach(async () => {
    tmp = await realpath(await mkdtemp(join(tmpdir(), 'daprps-lock-')));
    dir = join(tmp, 'data');
    lockFile = `${dir}.lock`;
    await mkdir(dir);
  });
  afterEach(async () => {
    for (const l of locks.splice(0)) l.release();
    await Promise.all(children.splice(0).map((p) => stopProcess(p.child)));
    await rm(tmp, { recursive: true, force: true });
  });

  it('takes a free folder, writing who holds it into a file beside the folder, never inside', async () => {
    const lock = await take(dir);
    expect(lock.file).toBe(lockFile);
    const holder = JSON.parse(await readFile(lockFile, 'utf8'));
    expect(holder).toMatchObject({ pid: process.pid, host: hostname(), command: expect.stringContaining('node') });
    expect(Date.parse(holder.since)).toBeGreaterThan(Date.now() - 60_000);
    if (linux) expect(holder.procStart).toBe(procStartTime(process.pid));
    expect(await readdir(dir)).toEqual([]);
  });

  it('releases the folder: the lock file goes and the folder can be taken again; releasing twice does nothing', async () => {
    const lock = await take(dir);
    lock.release();
    expect(existsSync(lockFile)).toBe(false);
    const again = await take(dir);
    lock.release();
    expect(existsSync(again.file)).toBe(true);
  });

  it('refuses a folder this very process holds already', async () => {
    await take(dir);
    await expect(lockFolder(dir)).rejects.toThrow(`data folder ${dir} is in use by process ${process.pid} (`);
    await expect(lockFolder(dir)).rejects.toThrow('this very process');
  });

  it('refuses a folder a live process holds, naming the folder, the process and its command', async () => {
    const holder = contend();
    expect(await said(holder)).toBe('held');
    const refusal = lockFolder(dir);
    await expect(refusal).rejects.toThrow(
      new RegExp(
        `^data folder ${dir} is in use by process ${holder.child.pid} \\(node[^)]*\\) since \\d{4}-.*: stop it, or give this one another DATA_DIR$`,
      ),
    );
    await expect(refusal).rejects.toMatchObject({ name: 'FolderInUseError' });
  });

  it('takes over the folder of a process that was killed without releasing it', async () => {
    const holder = contend();
    expect(await said(holder)).toBe('held');
    await stopProcess(holder.child);
    expect(existsSync(lockFile)).toBe(true);
    await take(dir);
    expect(JSON.parse(await readFile(lockFile, 'utf8')).pid).toBe(process.pid);
  });

  it('releases on exit a folder the process never released', async () => {
    const holder = contend({ THEN_EXIT: '1' });
    expect(await said(holder)).toBe('held');
    expect(await holder.exited).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
  });

  it.runIf(linux)('takes over a lock whose pid now belongs to another process (its start time differs)', async () => {
    await fakeLock({ pid: process.ppid, procStart: '1' });
    await take(dir);
    locks.pop()!.release();
    // The same for this process's own pid: in a container every start is pid 1.
    await fakeLock({ pid: process.pid, procStart: '1' });
    await take(dir);
  });

  it('refuses a lock written on another host, whose process it cannot check', async () => {
    await fakeLock({ pid: await exitedPid(), host: 'elsewhere' });
    await expect(lockFolder(dir)).rejects.toThrow(
      /is in use by process \d+ \(node old\.js\) on host elsewhere since .*, which cannot be checked from/,
    );
  });

  it('refuses an unreadable lock file while it may still be being written, and takes it over once old', async () => {
    await writeFile(lockFile, '{"pid":');
    await expect(lockFolder(dir)).rejects.toThrow(`data folder ${dir} has a lock file ${lockFile} that cannot be read`);
    const old = new Date(Date.now() - 60_000);
    await utimes(lockFile, old, old);
    await take(dir);
  });

  it('lets exactly one of several processes racing for a stale lock take it', async () => {
    await fakeLock({ pid: await exitedPid() });
    const startAt = String(Date.now() + 3_000);
    const racers = Array.from({ length: 6 }, () => contend({ START_AT: startAt }));
    const results = await Promise.all(racers.map(said));
    const winners = racers.filter((_, i) => results[i] === 'held');
    expect(winners).toHaveLength(1);
    const winner = winners[0]!.child.pid;
    for (const result of results.filter((r) => r !== 'held'))
      expect(result).toContain(`is in use by process ${winner} (`);
  }, 30_000);
});
