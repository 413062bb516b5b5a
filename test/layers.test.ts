import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The floors of the code: platform (no shop knowledge) under functions (the shop) under the
 * gateway; tests and their helpers live beside them (`*.test.ts`) or in test/, never as a
 * production file. These checks read every file's imports.
 */
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => f && !f.startsWith('gen/') && existsSync(f)); // a file deleted but not yet staged is gone
/** What a file imports (`from`, `import(…)` and a bare `import '…'`, in either quotes): bare names, and paths from the root. */
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\s*\(\s*|import\s+)(['"])([^'"]+)\1/g)].map(([, , spec]) =>
    spec!.startsWith('.') ? path.normalize(path.join(path.dirname(file), spec!)) : spec!,
  );
const production = (floor: string) => files.filter((f) => f.startsWith(`${floor}/`) && !f.endsWith('.test.ts'));
/** The packages of package.json's devDependencies: not installed where the shop runs (npm ci --omit=dev). */
const devDependencies = new Set(Object.keys(JSON.parse(readFileSync('package.json', 'utf8')).devDependencies));
/** The package a bare import names: `@scope/name` or `name`, without a subpath. */
const packageOf = (spec: string) => spec.split('/', spec.startsWith('@') ? 2 : 1).join('/');

describe('layers', () => {
  it('keeps production folders production-only: no test framework, no test helper', () => {
    const offending = ['platform', 'functions', 'gateway'].flatMap(production).flatMap((f) =>
      importsOf(f)
        .filter((i) => i === 'vitest' || i.startsWith('vitest/') || i.startsWith('test/'))
        .map((i) => `${f} imports ${i}`),
    );
    expect(offending).toEqual([]);
  });

  it('keeps production folders on dependencies: no devDependency of package.json is imported', () => {
    const checked = ['platform', 'functions', 'gateway'].flatMap(production);
    // Neither list may be empty: a check over nothing would pass.
    expect(checked.length).toBeGreaterThan(0);
    expect(devDependencies).toContain('fast-check');
    const offending = checked.flatMap((f) =>
      importsOf(f)
        .filter((i) => devDependencies.has(packageOf(i)))
        .map((i) => `${f} imports ${i}, a devDependency`),
    );
    expect(offending).toEqual([]);
  });

  it('never has a lower floor reach up (platform → functions → gateway), tests included', () => {
    const above: Record<string, string[]> = { platform: ['functions/', 'gateway/'], functions: ['gateway/'] };
    const offending = files.flatMap((f) => {
      const floor = f.split('/')[0]!;
      return importsOf(f)
        .filter((i) => above[floor]?.some((a) => i.startsWith(a)))
        .map((i) => `${f} imports ${i}`);
    });
    expect(offending).toEqual([]);
  });
});
