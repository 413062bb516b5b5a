import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExclusive, readLock } from './lock-file.ts';

describe('lock files', () => {
  let tmp = '';
  let file = '';
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'daprps-lock-file-'));
    file = join(tmp, 'data.lock');
  });
  afterEach(() => rm(tmp, { recursive: true, force: true }));

  it('creates a file only where there is none, leaving an existing one as it was', async () => {
    expect(await createExclusive(file, 'first')).toBe(true);
    expect(await createExclusive(file, 'second')).toBe(false);
    expect(await readFile(file, 'utf8')).toBe('first');
  });

  it('reads the holder a lock file names, with its age', async () => {
    const holder = { pid: 42, host: 'here', command: 'node x.js', since: '2020-01-01T00:00:00.000Z' };
    await writeFile(file, JSON.stringify(holder));
    const old = new Date(Date.now() - 60_000);
    await utimes(file, old, old);
    expect(await readLock(file)).toMatchObject({ raw: JSON.stringify(holder), holder, ageMs: expect.any(Number) });
    expect((await readLock(file))!.ageMs).toBeGreaterThanOrEqual(59_000);
  });

  it('reads no holder from a torn or foreign lock file, and nothing where there is no file', async () => {
    for (const raw of ['', '{"pid":', '{"pid":"12","host":"here"}', '[]']) {
      await writeFile(file, raw);
      expect((await readLock(file))!.holder, raw).toBeUndefined();
    }
    expect(await readLock(join(tmp, 'none.lock'))).toBeUndefined();
  });
});
