/** The median of some numbers (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The spread of repeated measurements: the smallest and largest, and how far apart in % of the median. */
export function spread(xs: number[]): { min: number; max: number; pct: number } {
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  const mid = median(xs);
  return { min, max, pct: mid ? Math.round(((max - min) / mid) * 1000) / 10 : 0 };
}

/** The q-th quantile (0..1) of some numbers, nearest rank. */
export const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;
