import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;

/**
 * dist/warm-compile-cache.mjs, which the image runs once to fill node's module compile cache
 * (Dockerfile), on a folder of modules that would leave a mark if they ran: it compiles them all,
 * runs none, and node then takes their compiled code from the cache.
 */
describe('the module compile cache warm-up (scripts/build/warm-compile-cache.ts)', () => {
  let tmp = '';
  let dist = '';
  let warm = '';
  const marks = () => ['a', 'b', 'c'].filter((m) => existsSync(join(tmp, `ran-${m}`)));

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'daprps-compile-cache-'));
    dist = join(tmp, 'dist');
    await mkdir(join(dist, 'chunks'), { recursive: true });
    const mark = (m: string) =>
      `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(join(tmp, `ran-${m}`))}, '');\n`;
    await writeFile(
      join(dist, 'a.mjs'),
      `${mark('a')}import { b } from './chunks/b.mjs';\nconsole.log(b());\nif (process.env.NEVER_SET) await import('./chunks/c.mjs');\n`,
    );
    await writeFile(join(dist, 'chunks/b.mjs'), `${mark('b')}export const b = () => 'b';\n`);
    // Only imported dynamically, as the bundles' lazy chunks are: compiled all the same.
    await writeFile(join(dist, 'chunks/c.mjs'), `${mark('c')}export const c = 'c';\n`);
    warm = join(dist, 'warm-compile-cache.mjs');
    // Bundled as scripts/build.ts does, to run with plain node.
    await build({
      entryPoints: [join(root, 'scripts/build/warm-compile-cache.ts')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: warm,
      logLevel: 'warning',
    });
  });
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('compiles every module of its folder into NODE_COMPILE_CACHE without running any, and node then uses the cache', async () => {
    const cache = join(tmp, 'cache');
    const env = { ...process.env, NODE_COMPILE_CACHE: cache };
    const { stdout } = await run(process.execPath, [warm], { env });
    expect(stdout).toContain(`module compile cache: 3 modules of ${dist} compiled into ${cache}/`);
    expect(marks()).toEqual([]);
    const [folder, ...others] = await readdir(cache);
    expect(others).toEqual([]);
    expect((await readdir(join(cache, folder!))).length).toBeGreaterThanOrEqual(3);

    // node's own account (NODE_DEBUG_NATIVE) of the compile cache, for the files it loads.
    const started = await run(process.execPath, [join(dist, 'a.mjs')], {
      env: { ...env, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' },
    });
    expect(started.stdout).toBe('b\n');
    for (const file of ['a.mjs', 'chunks/b.mjs']) {
      expect(started.stderr).toMatch(
        new RegExp(`code cache for ESM ${pathToFileURL(join(dist, file)).href} was accepted`),
      );
    }
    expect(marks()).toEqual(['a', 'b']);
  });

  it('refuses to run without NODE_COMPILE_CACHE', async () => {
    const env = { ...process.env };
    delete env.NODE_COMPILE_CACHE;
    const failed = await run(process.execPath, [warm], { env }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('set NODE_COMPILE_CACHE');
  });
});
