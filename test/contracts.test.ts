import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('protobuf contracts', () => {
  let out = '';
  afterAll(async () => out && rm(out, { recursive: true, force: true }));

  it('pass buf lint', async () => {
    await expect(buf('lint')).resolves.toBeDefined();
  });

  it('break nothing of the published API (buf breaking against buf.baseline.json)', async () => {
    await expect(buf('breaking', '--against', 'buf.baseline.json')).resolves.toBeDefined();
  });

  it('fail buf breaking on a removed field, a changed type or a renamed method', async () => {
    const productProto = 'proto/shop/product/v1/product.proto';
    const original = await readFile(join(root, productProto), 'utf8');
    const changes: [string, string][] = [
      ['  int32 stock = 6;\n', ''],
      ['  int32 stock = 6;', '  int64 stock = 6;'],
      ['rpc GetProduct(', 'rpc FetchProduct('],
    ];
    for (const [from, to] of changes) {
      expect(original).toContain(from);
      const copy = await mkdtemp(join(tmpdir(), 'daprps-breaking-'));
      try {
        await cp(join(root, 'proto'), join(copy, 'proto'), { recursive: true });
        await cp(join(root, 'buf.yaml'), join(copy, 'buf.yaml'));
        await writeFile(join(copy, productProto), original.replace(from, to));
        const result = run(
          join(root, 'node_modules/.bin/buf'),
          ['breaking', copy, '--against', join(root, 'buf.baseline.json')],
          { env },
        );
        await expect(result, `${from.trim()} → ${to.trim() || '(removed)'}`).rejects.toMatchObject({
          stdout: expect.stringMatching(/product\.proto/),
        });
      } finally {
        await rm(copy, { recursive: true, force: true });
      }
    }
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
