import { onTestFinished, type RunnerTestCase } from 'vitest';
import { saveRecord, type Check, type Figures, type Outcome } from './record-store.ts';
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
function recordOnFinish<T extends Figures | Check>(name: SuiteName, count: () => T | Promise<T>): void {
  onTestFinished(async ({ task }) => {
    const outcome = outcomeOf(task);
    try {
      await saveRecord(name, await count(), outcome);
    } catch (e) {
      const failure = `counting the figures failed: ${(e as Error).message}`;
      await saveRecord(name, {}, outcome.passed ? { passed: false, failure } : outcome);
      throw e;
    }
  }, 60_000);
}

/** Records an event test's {@link Figures} when it finishes, with its outcome. */
export const recordFigures = (name: SuiteName, count: () => Figures | Promise<Figures>) => recordOnFinish(name, count);

/** Records a check's result when it finishes, with its outcome. */
export const recordCheck = (name: SuiteName, count: () => Check | Promise<Check>) => recordOnFinish(name, count);
