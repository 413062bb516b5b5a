import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import type { BenchPlan, Figure } from './figure.ts';

const dir = new URL('../../bench/', import.meta.url).pathname;
const fmt = (n: number) => (n >= 100 ? String(Math.round(n)) : String(Math.round(n * 10) / 10));

/** The results as a Markdown table. */
export function table(figures: Figure[]): string {
  return [
    '| figure | value | baseline | ratio | target | met | notes |',
    '|---|---:|---:|---:|---|:-:|---|',
    ...figures.map((f) => `| ${f.name} | ${fmt(f.value)} ${f.unit} | ${f.baseline ? `${fmt(f.baseline.value)} (${f.baseline.name})` : '—'} | ${f.ratio ?? '—'} | ${f.target?.text ?? '—'} | ${f.target ? (f.target.met ? 'yes' : '**no**') : '—'} | ${f.notes} |`),
  ].join('\n');
}

/** Writes bench/results.md and bench/results.json, appends a line to bench/history.jsonl, and prints the table. */
export async function writeResults(figures: Figure[], run: { quick: boolean; plan: BenchPlan }): Promise<void> {
  await mkdir(dir, { recursive: true });
  const at = new Date().toISOString();
  const md = `# Benchmark results\n\n${at.slice(0, 16).replace('T', ' ')} UTC, \`npm run bench${run.quick ? ' -- --quick' : ''}\` on this machine (${run.plan.runs} run(s) of ${run.plan.seconds} s per load figure, medians; baselines measured in the same run).\n\n${table(figures)}\n`;
  await writeFile(`${dir}results.md`, md);
  await writeFile(`${dir}results.json`, JSON.stringify({ at, ...run, figures }, null, 2));
  await appendFile(`${dir}history.jsonl`, `${JSON.stringify({ at, quick: run.quick, figures: figures.map((f) => ({ name: f.name, value: f.value, ratio: f.ratio, met: f.target?.met })) })}\n`);
  console.log(`\n${table(figures)}\n\nwritten: bench/results.md, bench/results.json, bench/history.jsonl`);
}
