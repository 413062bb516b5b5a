import { progress, ratio, type BenchPlan } from './figure.ts';
import { load, type LoadOptions, type LoadResult } from './load.ts';
import { median, spread } from './stats.ts';

/**
 * Loads a subject and its baseline in alternation (warm-up discarded, `runs` rounds), so that
 * both see the same machine; returns the medians and the spreads.
 */
export async function compareLoad(
  label: string,
  plan: BenchPlan,
  subject: { url: string } & Partial<LoadOptions>,
  baseline: { url: string } & Partial<LoadOptions>,
) {
  const opts = (o: Partial<LoadOptions>, seconds: number): LoadOptions => ({
    connections: plan.connections,
    seconds,
    ...o,
  });
  await load(subject.url, opts(subject, plan.warmupSeconds));
  await load(baseline.url, opts(baseline, plan.warmupSeconds));
  const s: LoadResult[] = [];
  const b: LoadResult[] = [];
  for (let i = 1; i <= plan.runs; i++) {
    progress(`${label}: run ${i}/${plan.runs}`);
    b.push(await load(baseline.url, opts(baseline, plan.seconds)));
    s.push(await load(subject.url, opts(subject, plan.seconds)));
  }
  const sRps = median(s.map((r) => r.rps));
  const bRps = median(b.map((r) => r.rps));
  const failed = [...s, ...b].reduce((n, r) => n + r.errors + r.non2xx, 0);
  return {
    rps: sRps,
    baselineRps: bRps,
    ratio: ratio(sRps, bRps),
    p99: median(s.map((r) => r.p99)),
    baselineP99: median(b.map((r) => r.p99)),
    spread: `spread ${spread(s.map((r) => r.rps)).pct}% / ${spread(b.map((r) => r.rps)).pct}%`,
    failed,
  };
}

/** What compareLoad measured. */
export type Compared = Awaited<ReturnType<typeof compareLoad>>;
