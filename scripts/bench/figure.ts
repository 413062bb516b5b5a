/** One benchmark figure: a measurement, the baseline measured in the same run, and the target. */
export interface Figure {
  name: string;
  /** What was measured, e.g. "req/s" or "ms". */
  unit: string;
  value: number;
  baseline?: { name: string; value: number };
  /** value ÷ baseline. */
  ratio?: number;
  /** The target, in words (e.g. "ratio ≥ 0.90"), and whether this run met it; absent: no target, reported only. */
  target?: { text: string; met: boolean };
  /** Spread of the repeated runs, and other details worth a column. */
  notes: string;
  /** Why no value: the run of this figure failed (value is NaN then). */
  failed?: string;
  /** Where it was measured: the Node version and the machine (report.ts, thisMachine). */
  ranOn?: string;
}

/** How long and how often to measure. */
export interface BenchPlan {
  runs: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  coldStarts: number;
}

export const plans: Record<'quick' | 'full', BenchPlan> = {
  quick: { runs: 1, seconds: 3, warmupSeconds: 1, connections: 20, coldStarts: 2 },
  full: { runs: 3, seconds: 10, warmupSeconds: 2, connections: 50, coldStarts: 5 },
};

/** Prints a progress line. */
export const progress = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** value ÷ baseline, rounded to 2 decimals. */
export const ratio = (value: number, baseline: number) => Math.round((value / baseline) * 100) / 100;
