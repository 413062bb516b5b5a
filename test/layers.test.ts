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
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\s*\(\s*)'([^']+)'/g)].map(([, spec]) =>
    spec!.startsWith('.') ? path.normalize(path.join(path.dirname(file), spec!)) : spec!,
  );
const production = (floor: string) => files.filter((f) => f.startsWith(`${floor}/`) && !f.endsWith('.test.ts'));

describe('layers', () => {
  it('keeps production folders production-only: no test framework, no test helper', () => {
    const offending = ['platform', 'functions', 'gateway'].flatMap(production).flatMap((f) =>
      importsOf(f)
        .filter((i) => i === 'vitest' || i.startsWith('vitest/') || i.startsWith('test/'))
        .map((i) => `${f} imports ${i}`),
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
