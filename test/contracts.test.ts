import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const env = { ...process.env, PATH: `${join(root, 'node_modules/.bin')}${delimiter}${process.env.PATH}` };
const buf = (...args: string[]) => run(join(root, 'node_modules/.bin/buf'), args, { cwd: root, env });

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

describe('protobuf contracts', () => {
  let out = '';
  afterAll(async () => out && rm(out, { recursive: true, force: true }));

  it('pass buf lint', async () => {
    await expect(buf('lint')).resolves.toBeDefined();
  });

  it('generate exactly the committed TypeScript in gen/', async () => {
    out = await mkdtemp(join(tmpdir(), 'daprps-gen-'));
    await buf('generate', '--output', out);
    const fresh = join(out, 'gen');
    const committed = join(root, 'gen');
    expect(await files(fresh)).toEqual(await files(committed));
    for (const file of await files(fresh)) {
      expect(await readFile(join(fresh, file), 'utf8'), file).toBe(await readFile(join(committed, file), 'utf8'));
    }
  });
});
