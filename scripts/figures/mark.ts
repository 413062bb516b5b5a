import { readFile, writeFile } from 'node:fs/promises';
import { markers, replaceBlock } from '../deploy/marked-block.ts';
import { freshnessMark } from './freshness.ts';
import { measuredPaths } from './measured-paths.ts';
import type { Revision } from './revision.ts';

/**
 * The freshness marks of every published set of figures (`npm run figures:mark` writes them;
 * test/figure-marks.test.ts checks they are what this computes): the benchmark's, beside its table
 * in the README and in bench/results.md, and the reliability suites', in docs/reliability.md.
 */
const root = new URL('../..', import.meta.url).pathname;
const BLOCK = 'figures-freshness';

/** The revision a published file's figures carry (written by their run into a comment). */
export async function publishedRevision(file: string): Promise<Revision | undefined> {
  const text = await readFile(`${root}${file}`, 'utf8');
  const m = /<!-- measured: (\{.*?\}) -->/.exec(text);
  return m ? (JSON.parse(m[1]!) as Revision) : undefined;
}

/** The comment a run writes beside its figures, read back by {@link publishedRevision}. */
export const measuredComment = (r: Revision) => `<!-- measured: ${JSON.stringify(r)} -->`;

/** Each file with its mark, as it should read now. */
export async function marks(): Promise<{ file: string; mark: string }[]> {
  // The README shows the last full run's figures, bench/results.md the last run's (quick ones too).
  const bench = (file: string) =>
    publishedRevision(file).then((r) => freshnessMark('The benchmark figures', r, measuredPaths.bench));
  const reliability = await publishedRevision('docs/reliability.md');
  return [
    { file: 'README.md', mark: await bench('README.md') },
    { file: 'bench/results.md', mark: await bench('bench/results.md') },
    {
      file: 'docs/reliability.md',
      mark: freshnessMark('The reliability figures', reliability, measuredPaths.reliability),
    },
  ];
}

/** An empty freshness block, for a file a run writes whole; {@link writeMarks} fills it. */
export const freshnessBlock = markers(BLOCK).join('\n');

/** `text` with its freshness block holding `mark`. */
export const withMark = (text: string, mark: string) => replaceBlock(text, BLOCK, mark);

/** Writes every mark; returns them. The runs call it after writing their figures. */
export async function writeMarks(): Promise<{ file: string; mark: string }[]> {
  const all = await marks();
  for (const { file, mark } of all) {
    const path = `${root}${file}`;
    await writeFile(path, withMark(await readFile(path, 'utf8'), mark));
  }
  return all;
}

if (import.meta.url === `file://${process.argv[1]}`)
  for (const { file, mark } of await writeMarks()) console.log(`${file}: ${mark}`);
