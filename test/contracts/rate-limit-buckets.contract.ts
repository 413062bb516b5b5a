import { describe, expect, it } from 'vitest';
import type { BucketLimits, BucketStore } from '../../platform/http/buckets.ts';

const takeAll = (store: BucketStore, client: string, n: number) =>
  Promise.all(Array.from({ length: n }, () => store.take(client)));
const allowed = (takes: { allowed: boolean }[]) => takes.filter((t) => t.allowed).length;

/**
 * The clock a store counts by, as the test sees it: a fake one it moves (memory), or one it can only
 * read and wait on (Redis's TIME). Figures are checked against what it read around each step, so
 * no assertion depends on how fast this machine is.
 */
export interface StoreClock {
  now(): Promise<number>;
  wait(ms: number): Promise<void>;
}

/** The behaviour every BucketStore adapter must have, on the clock `make` gives with each store. */
export function bucketStoreContract(
  adapter: string,
  make: (limits: BucketLimits) => Promise<{ store: BucketStore; clock: StoreClock }>,
  enabled = true,
) {
  describe.runIf(enabled)(`BucketStore contract: ${adapter}`, () => {
    it('lets a burst through, then refuses with the time until the next token', async () => {
      const { store, clock } = await make({ perMinute: 60, burst: 3 });
      const before = await clock.now();
      for (let i = 0; i < 3; i++) expect(await store.take('a')).toEqual({ allowed: true });
      const refused = await store.take('a');
      const after = await clock.now();
      expect(refused.allowed).toBe(false);
      // A token a second, the first taken at or after `before`: the next comes 1 s after that, less what has passed.
      if (!refused.allowed) expect(refused.retryAfterMs).toBeGreaterThanOrEqual(1_000 - (after - before));
      if (!refused.allowed) expect(refused.retryAfterMs).toBeLessThanOrEqual(1_000);
    });

    it('keeps clients apart', async () => {
      const { store } = await make({ perMinute: 60, burst: 1 });
      expect((await store.take('a')).allowed).toBe(true);
      expect((await store.take('a')).allowed).toBe(false);
      expect((await store.take('b')).allowed).toBe(true);
    });

    it('refills at the sustained rate, and never above the burst', async () => {
      const { store, clock } = await make({ perMinute: 600, burst: 2 }); // a token every 100 ms
      const t0 = await clock.now();
      expect(allowed(await takeAll(store, 'a', 3))).toBe(2);
      const t1 = await clock.now(); // the bucket was emptied between t0 and t1
      await clock.wait(130);
      const t2 = await clock.now();
      const got = allowed(await takeAll(store, 'a', 2));
      const t3 = await clock.now(); // and taken from between t2 and t3
      // A token per 100 ms since it emptied: at least what surely passed, at most what may have.
      expect(got).toBeGreaterThanOrEqual(Math.min(2, Math.floor((t2 - t1) / 100)));
      expect(got).toBeLessThanOrEqual(Math.min(2, Math.floor((t3 - t0) / 100)));
      await clock.wait(450); // 4.5 tokens' worth at least: the bucket holds 2
      expect(allowed(await takeAll(store, 'a', 4))).toBe(2);
    });

    it('lets exactly the burst through when requests arrive together', async () => {
      const { store } = await make({ perMinute: 1, burst: 5 });
      expect(allowed(await takeAll(store, 'a', 20))).toBe(5);
    });
  });
}
