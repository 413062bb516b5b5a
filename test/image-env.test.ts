import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageEnv } from '../scripts/build/image-env.ts';

const root = new URL('..', import.meta.url).pathname;

/** The benchmark starts the bundles with the environment the image sets, read by imageEnv. */
describe("the image's environment (scripts/build/image-env.ts)", () => {
  it("reads the last stage's ENV instructions, over continued lines, plain or quoted", () => {
    const dockerfile = [
      'FROM node AS build',
      'ENV NODE_ENV=development',
      'FROM node AS runtime',
      'ENV NODE_ENV=production \\',
      '    NODE_OPTIONS="--a --b" \\',
      '    PORT=8080',
      'RUN true',
      'ENV EMPTY=',
    ].join('\n');
    expect(imageEnv(dockerfile)).toEqual({
      NODE_ENV: 'production',
      NODE_OPTIONS: '--a --b',
      PORT: '8080',
      EMPTY: '',
    });
  });

  it("finds what the Dockerfile's runtime stage sets", async () => {
    const env = imageEnv(await readFile(join(root, 'Dockerfile'), 'utf8'));
    expect(env.NODE_ENV).toBe('production');
    expect(env.NODE_COMPILE_CACHE).toBe('/app/.compile-cache');
    expect(env).toHaveProperty('NODE_OPTIONS');
  });
});
