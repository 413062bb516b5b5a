import type { BucketLimits, BucketStore } from './buckets.ts';

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept at most; the ones idle longest (full again anyway) go first. */
const MAX_CLIENTS = 100_000;

/** Token buckets in this process: each replica limits on its own. */
export function memoryBuckets(limits: BucketLimits, now: () => number = Date.now): BucketStore {
  const perMs = limits.perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  return {
    async take(client) {
      const t = now();
      const b = buckets.get(client) ?? { tokens: limits.burst, at: t };
      buckets.delete(client); // re-inserted last: the Map's order is least recently used first
      b.tokens = Math.min(limits.burst, b.tokens + Math.max(0, t - b.at) * perMs);
      b.at = t;
      buckets.set(client, b);
      if (buckets.size > MAX_CLIENTS) buckets.delete(buckets.keys().next().value!);
      if (b.tokens < 1) return { allowed: false, retryAfterMs: Math.ceil((1 - b.tokens) / perMs) };
      b.tokens -= 1;
      return { allowed: true };
    },
  };
}
