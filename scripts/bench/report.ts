import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { freshnessBlock, measuredComment, writeMarks } from '../figures/mark.ts';
import { endRevision, type Revision, revisionText, startRevision } from '../figures/revision.ts';
import type { BenchPlan, Figure } from './figure.ts';

// The code a run measures, read as it starts: main.ts imports this module before it measures
// anything, so a long run is stamped with what it started on (see endRevision).
startRevision('bench');

const dir = new URL('../../bench/', import.meta.url).pathname;
const fmt = (n: number) => (Number.isNaN(n) ? '—' : n >= 100 ? String(Math.round(n)) : String(Math.round(n * 10) / 10));

/**
 * Where this process measures: the Node version the benchmark runs its processes with (its own),
 * the cores, their model and the memory, e.g. "Node 24.21.0, 2 cores (AMD EPYC), 23.5 GiB".
 */
export function thisMachine(): string {
  const model = cpus()[0]?.model.trim().replace(/\s+/g, ' ') || 'unknown CPU';
  return `Node ${process.versions.node}, ${availableParallelism()} cores (${model}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB`;
}

/** The results as a Markdown table; each figure says where it ran (this machine unless it says otherwise). */
export function table(figures: Figure[]): string {
  const here = thisMachine();
  return [
    '| figure | value | baseline | ratio | target | met | notes | ran on |',
    '|---|---:|---:|---:|---|:-:|---|---|',
    ...figures.map((f) =>
      f.failed !== undefined
        ? `| ${f.name} | **failed** | — | — | — | **no** | ${f.failed.replace(/\|/g, '\\|').replace(/\s+/g, ' ')} | ${f.ranOn ?? here} |`
        : `| ${f.name} | ${fmt(f.value)} ${f.unit} | ${f.baseline ? `${fmt(f.baseline.value)} (${f.baseline.name})` : '—'} | ${f.ratio ?? '—'} | ${f.target?.text ?? '—'} | ${f.target ? (f.target.met ? 'yes' : '**no**') : '—'} | ${f.notes} | ${f.ranOn ?? here} |`,
    ),
  ].join('\n');
}

/**
 * The table for the README: every figure, except that the per-function cold starts and idle
 * memories are summed up as their range (the full list is in bench/results.md).
 */
export function summary(figures: Figure[]): string {
  const range = (prefix: string, name: string): Figure[] => {
    const fs = figures.filter((f) => f.name.startsWith(prefix)).sort((a, b) => a.value - b.value);
    if (!fs.length) return [];
    const [best, worst] = [fs[0]!, fs.at(-1)!];
    const met = fs.filter((f) => f.target?.met).length;
    return [
      {
        ...worst,
        name: `${name}, worst of ${fs.length} functions (${worst.name.slice(prefix.length)})`,
        target: worst.target && { text: worst.target.text, met: met === fs.length },
        notes: `best ${best.name.slice(prefix.length)}: ${fmt(best.value)} ${best.unit}${best.ratio === undefined ? '' : `, ratio ${best.ratio}`}; ${met} of ${fs.length} meet the target`,
      },
    ];
  };
  const others = figures.filter((f) => !f.name.startsWith('Cold start: ') && !f.name.startsWith('Idle memory: '));
  return table([...others, ...range('Cold start: ', 'Cold start'), ...range('Idle memory: ', 'Idle memory')]);
}

/** Replaces the README's benchmark table (between its markers) with `summary`. */
async function updateReadme(figures: Figure[], at: string, rev: Revision): Promise<void> {
  const readme = new URL('../../README.md', import.meta.url).pathname;
  const text = await readFile(readme, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} … ${README_END} markers`);
  const block = `${README_START}\n${measuredComment(rev)}\nLatest full run (${at.slice(0, 16).replace('T', ' ')} UTC, ${revisionText(rev)}, ${thisMachine()}, everything on it; each figure says where it ran):\n\n${summary(figures)}\n`;
  await writeFile(readme, text.slice(0, start) + block + text.slice(end));
}

const README_START = '<!-- bench:start (written by npm run bench) -->';
const README_END = '<!-- bench:end -->';

/**
 * Writes bench/results.md and bench/results.json, appends a line to bench/history.jsonl, puts
 * the summary in the README (full runs only), and prints the table.
 */
export async function writeResults(measured: Figure[], run: { quick: boolean; plan: BenchPlan }): Promise<void> {
  await mkdir(dir, { recursive: true });
  const at = new Date().toISOString();
  const ranOn = thisMachine();
  const figures = measured.map((f) => ({ ...f, ranOn: f.ranOn ?? ranOn }));
  // What ran: every figure is of this commit's code (and of the changes not in it, when dirty).
  const rev = endRevision('bench');
  const md = `# Benchmark results\n\n${at.slice(0, 16).replace('T', ' ')} UTC, ${revisionText(rev)}, \`npm run bench${run.quick ? ' -- --quick' : ''}\` on this machine, ${ranOn} (${run.plan.runs} run(s) of ${run.plan.seconds} s per load figure, medians; baselines measured in the same run).\n${measuredComment(rev)}\n\n${freshnessBlock}\n\n${table(figures)}\n`;
  await writeFile(`${dir}results.md`, md);
  await writeFile(`${dir}results.json`, JSON.stringify({ at, revision: rev, ...run, figures }, null, 2));
  if (!run.quick) await updateReadme(figures, at, rev);
  await appendFile(
    `${dir}history.jsonl`,
    `${JSON.stringify({ at, revision: rev, quick: run.quick, ranOn, figures: figures.map((f) => ({ name: f.name, value: f.value, ratio: f.ratio, met: f.target?.met })) })}\n`,
  );
  // The freshness lines of what was just written (and of the rest): left empty above, filled here.
  await writeMarks();
  console.log(`\n${table(figures)}\n\nwritten: bench/results.md, bench/results.json, bench/history.jsonl`);
}
