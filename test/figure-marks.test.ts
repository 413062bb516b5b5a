import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { marks, withMark } from '../scripts/figures/mark.ts';

const root = new URL('..', import.meta.url).pathname;

// Each published set of figures says whether it is still of the code as it is: a figure whose
// code changed since its commit reads as stale, not as current. The mark is written by
// `npm run figures:mark` (and by the runs); a stale figure is allowed, a wrong mark is not.
describe('the freshness marks beside the published figures', () => {
  it('say what their figures measured and whether that code changed since', async () => {
    const all = await marks();
    expect(all.map((m) => m.file)).toEqual(['README.md', 'bench/results.md', 'docs/reliability.md']);
    for (const { file, mark } of all) {
      const text = await readFile(`${root}${file}`, 'utf8');
      expect(text === withMark(text, mark), `${file} should read "${mark}": run npm run figures:mark`).toBe(true);
    }
  });
});
