import { onTestFinished, type RunnerTestCase } from 'vitest';
import { saveRecord, type Check, type Figures, type Outcome } from './record-store.ts';
import { reconciled } from './harness.ts';
import type { SuiteName } from './suites.ts';

/** The outcome of a finished test. */
export function outcomeOf(task: Readonly<RunnerTestCase>): Outcome {
  if (task.result?.state === 'pass') return { passed: true };
  const first = task.result?.errors?.[0];
  return {
    passed: false,
    failure: (first?.message ?? `test ${task.result?.state ?? 'did not finish'}`).split('\n')[0]!.slice(0, 300),
  };
}

/**
 * Records the suite's figures when the current test finishes, passed or failed: `count` reads them
 * from what the test observed. A count that cannot be read fails the test and shows as a failure.
 */
function recordOnFinish<T extends Figures | Check>(
  name: SuiteName,
  count: () => T | Promise<T>,
  shopUrl?: () => string,
): void {
  onTestFinished(async ({ task }) => {
    let outcome = outcomeOf(task);
    try {
      const figures = await count();
      // Every suite on a shop ends reconciled: a difference fails it, and shows in its record.
      const differences = shopUrl ? await reconciled(shopUrl()) : undefined;
      if (differences?.length && outcome.passed)
        outcome = {
          passed: false,
          failure: `reconciliation found ${differences.length} differences: ${JSON.stringify(differences).slice(0, 200)}`,
        };
      await saveRecord(name, { ...figures, ...(differences && { differences: differences.length }) }, outcome);
      if (differences?.length) throw new Error(outcome.failure);
    } catch (e) {
      const failure = `counting the figures failed: ${(e as Error).message}`;
      await saveRecord(name, {}, outcome.passed ? { passed: false, failure } : outcome);
      throw e;
    }
  }, 60_000);
}

/**
 * Records an event test's {@link Figures} when it finishes, with its outcome; given the shop's URL,
 * reconciles the provider's ledger with the shop's records and fails the test on a difference.
 */
export const recordFigures = (name: SuiteName, count: () => Figures | Promise<Figures>, shopUrl?: () => string) =>
  recordOnFinish(name, count, shopUrl);

/** Records a check's result when it finishes, with its outcome (and the reconciliation, as recordFigures). */
export const recordCheck = (name: SuiteName, count: () => Check | Promise<Check>, shopUrl?: () => string) =>
  recordOnFinish(name, count, shopUrl);
