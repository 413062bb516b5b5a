import { readFile, writeFile } from 'node:fs/promises';
import { replaceBlock } from './deploy/marked-block.ts';
import { measuredComment, writeMarks } from './figures/mark.ts';
import { revisionText } from './figures/revision.ts';
import { readRecorded, type Recorded } from '../test/reliability/record-store.ts';
import { suites, type SuiteName } from '../test/reliability/suites.ts';

/**
 * The figures of the last run of the reliability tests (.cache/reliability/, written by the
 * tests, cleared when a run starts) as Markdown tables, one row per known suite: printed with
 * --print (test:all does, after the suites), otherwise written into docs/reliability.md between
 * its figures markers.
 */
const recorded = await readRecorded();
const names = Object.keys(suites) as SuiteName[];
const link = (test: string) => `[${test.split('/').pop()}](../${test})`;
const n = (v: number | undefined) => (v === undefined ? '–' : String(v));
const result = (r: Recorded | undefined) =>
  !r ? 'not run' : r.outcome.passed ? 'passed' : `**FAILED**: ${r.outcome.failure ?? ''}`.replace(/\|/g, '\\|');
const row = (name: SuiteName, cells: (r: Recorded | undefined) => string[]) => {
  const r = recorded.get(name);
  return `| ${suites[name].guarantee} | ${link(suites[name].test)} | ${result(r)} | ${cells(r).join(' | ')} | ${r?.note ?? ''} |`;
};
const events = names.filter((name) => suites[name].kind === 'events');
const checks = names.filter((name) => suites[name].kind === 'check');
const ran = [...recorded.values()];
const sum = (key: 'sent' | 'doubled' | 'lost' | 'runs' | 'failures' | 'differences') =>
  ran.reduce((t, r) => t + (((r as Record<string, unknown>)[key] as number | undefined) ?? 0), 0);
const last = ran
  .map((r) => r.ran_at)
  .sort()
  .at(-1);
const lastRun = last ? `${last.slice(0, 16).replace('T', ' ')} UTC` : 'none recorded';
// The commit(s) the suites ran on, as each record says (written by the run, not by this report).
const measured = [...new Set(ran.map((r) => (r.revision ? revisionText(r.revision) : 'a commit not recorded')))];
// The run's revision for the mark: the oldest suite's commit, dirty when any suite ran dirty or on
// another commit (the figures are then of no one commit); none when a suite has no revision.
const oldest = ran.toSorted((a, b) => a.ran_at.localeCompare(b.ran_at))[0];
const mixed = ran.some((r) => r.revision?.dirty || r.revision?.commit !== oldest?.revision?.commit);
const stamp =
  oldest?.revision && ran.every((r) => r.revision)
    ? measuredComment({ commit: oldest.revision.commit, dirty: mixed })
    : '';
const notRun = names.filter((name) => !recorded.has(name)).length;
const failed = ran.filter((r) => !r.outcome.passed).length;

const table = [
  ...(stamp ? [stamp] : []),
  `Last run: ${lastRun}, ${measured.join(' and ') || 'no commit'}, on this repository's machine: ${ran.length - failed} suites passed, ${failed} failed, ${notRun} not run.`,
  '',
  '| guarantee | test | result | events sent | delivered (distinct) | duplicates absorbed | effects doubled | effects lost | reconciliation differences | what the run showed |',
  '|---|---|---|---:|---:|---:|---:|---:|---:|---|',
  ...events.map((name) =>
    row(name, (r) =>
      r?.kind === 'events'
        ? [
            n(r.sent),
            n(r.delivered),
            n(r.duplicates),
            `**${n(r.doubled)}**`,
            `**${n(r.lost)}**`,
            `**${n(r.differences)}**`,
          ]
        : ['', '', '', '', '', ''],
    ),
  ),
  '',
  '| guarantee | test | result | cases | broken | reconciliation differences | what the run showed |',
  '|---|---|---|---:|---:|---:|---|',
  ...checks.map((name) =>
    row(name, (r) => (r?.kind === 'check' ? [n(r.runs), `**${n(r.failures)}**`, n(r.differences)] : ['', '', ''])),
  ),
  '',
  `Totals of the suites that ran: ${sum('sent')} events sent, ${sum('doubled')} doubled, ${sum('lost')} lost; ${sum('runs')} cases checked, ${sum('failures')} broken; ${sum('differences')} reconciliation differences (– in a row: that suite did not reconcile).`,
].join('\n');

if (process.argv.includes('--print')) {
  console.log(`\nReliability figures of this run:\n\n${table}\n`);
} else {
  const path = new URL('../docs/reliability.md', import.meta.url);
  await writeFile(path, replaceBlock(await readFile(path, 'utf8'), 'figures', table));
  await writeMarks();
  console.log(`docs/reliability.md: figures of ${recorded.size} of ${names.length} suites written`);
}
