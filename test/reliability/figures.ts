import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What one reliability test measured, for docs/reliability.md. */
export interface Figures {
  /** The guarantee it proves. */
  guarantee: string;
  /** The test file and case. */
  test: string;
  /** Events published (or requests sent, for input tests). */
  sent: number;
  /** Distinct events the handlers received. */
  delivered: number;
  /** Messages delivered more than once (redeliveries the handlers absorbed). */
  duplicates: number;
  /** Effects applied more than once: must be 0. */
  doubled: number;
  /** Effects never applied: must be 0. */
  lost: number;
  /** What else the run showed. */
  note: string;
}

/** What a reliability test that is not about events measured (input, outages). */
export interface Check {
  guarantee: string;
  test: string;
  /** Requests or cases tried. */
  runs: number;
  /** Cases that broke the guarantee: must be 0. */
  failures: number;
  note: string;
}

/** A recorded result, as the report reads it. */
export type Recorded = ({ kind: 'events' } & Figures) | ({ kind: 'check' } & Check);

const DIR = new URL('../../.cache/reliability/', import.meta.url).pathname;

async function record(name: string, r: Recorded): Promise<void> {
  await mkdir(DIR, { recursive: true });
  await writeFile(join(DIR, `${name}.json`), JSON.stringify({ ...r, ran_at: new Date().toISOString() }, null, 2));
}

/** Keeps an event test's figures in .cache/reliability/<name>.json (git-ignored) for the report. */
export const recordFigures = (name: string, f: Figures) => record(name, { kind: 'events', ...f });

/** Keeps a check's result in .cache/reliability/<name>.json for the report. */
export const recordCheck = (name: string, c: Check) => record(name, { kind: 'check', ...c });

/** Every recorded result, by name. */
export async function readRecorded(): Promise<(Recorded & { name: string; ran_at: string })[]> {
  const files = (await readdir(DIR).catch(() => [])).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (f) => ({ name: f.replace(/\.json$/, ''), ...JSON.parse(await readFile(join(DIR, f), 'utf8')) })));
}
