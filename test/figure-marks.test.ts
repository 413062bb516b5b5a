import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { marks } from '../scripts/figures/mark.ts';

const root = new URL('..', import.meta.url).pathname;

// Each published set of figures says whether it is still of the code as it is: a figure whose
// code changed since its commit reads as stale, not as current. The mark is written by
// `npm run figures:mark` (and by the runs); a stale figure is allowed, a false "current" is not.
describe('the freshness marks beside the published figures', () => {
  it('say what their figures measured and whether that code changed since', async () => {
    const all = await marks();
    expect(all.map((m) => m.file)).toEqual(['README.md', 'bench/results.md', 'docs/reliability.md']);
    for (const { file, mark } of all) {
      const text = await readFile(`${root}${file}`, 'utf8');
      const line = /<!-- figures-freshness:start -->\n(.*)\n<!-- figures-freshness:end -->/.exec(text)?.[1];
      // Any stale line may stay (a stale figure fails nothing); a line calling figures current
      // when they are not, or a missing one, fails.
      if (mark.startsWith('**Stale:**') && line?.startsWith('**Stale:**')) continue;
      expect(line, `${file} should read "${mark}": run npm run figures:mark`).toBe(mark);
    }
  });
});
