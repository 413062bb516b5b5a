import { readFile, writeFile } from 'node:fs/promises';
import { readRecorded } from '../test/reliability/figures.ts';

/**
 * The figures of the last run of the reliability tests (.cache/reliability/, written by the
 * tests) as Markdown tables: printed with --print (test:all does, after the suites), otherwise
 * written into docs/reliability.md between its figures markers.
 */
const recorded = await readRecorded();
const link = (test: string) => `[${test.split('/').pop()}](../${test})`;
const events = recorded.flatMap((r) => (r.kind === 'events' ? [r] : []));
const checks = recorded.flatMap((r) => (r.kind === 'check' ? [r] : []));
const lastRun = recorded.map((r) => r.ran_at).sort().at(-1) ?? 'never';

const table = [
  `Last run: ${lastRun.slice(0, 16).replace('T', ' ')} UTC, on this repository's machine (\`npm run test:all\`).`,
  '',
  '| guarantee | test | events sent | delivered (distinct) | duplicates absorbed | effects doubled | effects lost | what the run showed |',
  '|---|---|---:|---:|---:|---:|---:|---|',
  ...events.map((r) => `| ${r.guarantee} | ${link(r.test)} | ${r.sent} | ${r.delivered} | ${r.duplicates} | **${r.doubled}** | **${r.lost}** | ${r.note} |`),
  '',
  '| guarantee | test | cases | broken | what the run showed |',
  '|---|---|---:|---:|---|',
  ...checks.map((r) => `| ${r.guarantee} | ${link(r.test)} | ${r.runs} | **${r.failures}** | ${r.note} |`),
  '',
  `Totals: ${events.reduce((n, r) => n + r.sent, 0)} events sent, ${events.reduce((n, r) => n + r.doubled, 0)} doubled, ${events.reduce((n, r) => n + r.lost, 0)} lost; ${checks.reduce((n, r) => n + r.runs, 0)} cases checked, ${checks.reduce((n, r) => n + r.failures, 0)} broken.`,
].join('\n');

if (process.argv.includes('--print')) {
  console.log(`\nReliability figures of this run:\n\n${table}\n`);
} else {
  const path = new URL('../docs/reliability.md', import.meta.url);
  const doc = await readFile(path, 'utf8');
  const start = '<!-- figures:start -->';
  const end = '<!-- figures:end -->';
  if (!doc.includes(start) || !doc.includes(end)) throw new Error(`docs/reliability.md has no ${start} … ${end} section`);
  await writeFile(path, `${doc.slice(0, doc.indexOf(start) + start.length)}\n${table}\n${doc.slice(doc.indexOf(end))}`);
  console.log(`docs/reliability.md: figures of ${recorded.length} tests written`);
}
