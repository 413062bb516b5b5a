import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { imageEnv } from '../build/image-env.ts';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

/** How the image starts node, for processes the benchmark starts: see {@link asInTheImage}. */
export interface AsInTheImage {
  /** NODE_ENV and NODE_OPTIONS as the image sets them, NODE_COMPILE_CACHE the warmed cache. */
  env: Record<string, string>;
  /** The same, in words, for a figure's notes. */
  text: string;
  /** Removes the cache. */
  close(): Promise<void>;
}

/**
 * The environment the image runs node with (the Dockerfile's runtime ENV: NODE_ENV, NODE_OPTIONS)
 * and a module compile cache filled the way the image's build fills it: dist/warm-compile-cache.mjs
 * run after the build, by this node and this user (the cache is per node version and user), with
 * that same environment. Built dist/ first.
 */
export async function asInTheImage(): Promise<AsInTheImage> {
  const image = imageEnv(await readFile(join(root, 'Dockerfile'), 'utf8'));
  const cache = await mkdtemp(join(tmpdir(), 'daprps-bench-compile-cache-'));
  const env = { NODE_ENV: image.NODE_ENV ?? '', NODE_OPTIONS: image.NODE_OPTIONS ?? '', NODE_COMPILE_CACHE: cache };
  await run(process.execPath, ['dist/warm-compile-cache.mjs'], { cwd: root, env: { ...process.env, ...env } });
  return {
    env,
    text: `as the image runs node: NODE_ENV=${env.NODE_ENV}, NODE_OPTIONS=${JSON.stringify(env.NODE_OPTIONS)}, compile cache warmed`,
    close: () => rm(cache, { recursive: true, force: true }),
  };
}
