import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { endRevision, type Revision, startRevision } from '../../scripts/figures/revision.ts';
import { suites, type SuiteName } from './suites.ts';

// What the suites of this process are about to measure, read as they start (see endRevision).
startRevision('reliability');

/** What one event test counted, for docs/reliability.md. */
export interface Figures {
  /** Messages that reached the topic(s) under test, counted by a consumer group of the test's own. */
  sent: number;
  /** Distinct events among them. */
  delivered: number;
  /** Messages delivered more than once (redeliveries the handlers had to absorb). */
  duplicates: number;
  /** Effects applied more than once, read back from the stores: must be 0. */
  doubled: number;
  /** Effects never applied, read back from the stores: must be 0. */
  lost: number;
  /** Differences the reconciliation found between the provider's ledger and the shop's records at the end: must be 0. */
  differences?: number;
  /** What else the run showed. */
  note: string;
}

/** What a test that is not about events counted (input, outages). */
export interface Check {
  /** Requests or cases tried. */
  runs: number;
  /** Cases that broke the guarantee: must be 0. */
  failures: number;
  /** Differences the reconciliation found at the end: must be 0. */
  differences?: number;
  note: string;
}

/** Whether the test passed, and if not, its first failure. */
export interface Outcome {
  passed: boolean;
  failure?: string;
}

/** A recorded result, as the report reads it; counts are missing where they could not be read. */
export type Recorded = { name: SuiteName; ran_at: string; revision?: Revision; outcome: Outcome } & (
  | ({ kind: 'events' } & Partial<Figures>)
  | ({ kind: 'check' } & Partial<Check>)
);

const DIR = new URL('../../.cache/reliability/', import.meta.url).pathname;

/** Keeps a suite's result in .cache/reliability/<name>.json (git-ignored) for the report. */
export async function saveRecord(
  name: SuiteName,
  counted: Partial<Figures> | Partial<Check>,
  outcome: Outcome,
): Promise<void> {
  await mkdir(DIR, { recursive: true });
  const record = {
    ...counted,
    name,
    kind: suites[name].kind,
    outcome,
    ran_at: new Date().toISOString(),
    revision: endRevision('reliability'),
  };
  await writeFile(join(DIR, `${name}.json`), JSON.stringify(record, null, 2));
}

/** Forgets every recorded result: each test run starts empty. */
export const clearRecorded = () => rm(DIR, { recursive: true, force: true });

/** The results recorded in this run, by suite name. */
export async function readRecorded(): Promise<Map<SuiteName, Recorded>> {
  const files = (await readdir(DIR).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));
  const all: Recorded[] = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(DIR, f), 'utf8'))));
  return new Map(all.map((r) => [r.name, r]));
}
