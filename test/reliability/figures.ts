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

const DIR = new URL('../../.cache/reliability/', import.meta.url).pathname;

/** Keeps a test's figures in .cache/reliability/<name>.json (git-ignored) for the report. */
export async function recordFigures(name: string, f: Figures): Promise<void> {
  await mkdir(DIR, { recursive: true });
  await writeFile(join(DIR, `${name}.json`), JSON.stringify({ ...f, ran_at: new Date().toISOString() }, null, 2));
}

/** Every recorded figure set, by name. */
export async function readFigures(): Promise<(Figures & { name: string; ran_at: string })[]> {
  const files = (await readdir(DIR).catch(() => [])).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (f) => ({ name: f.replace(/\.json$/, ''), ...JSON.parse(await readFile(join(DIR, f), 'utf8')) })));
}
