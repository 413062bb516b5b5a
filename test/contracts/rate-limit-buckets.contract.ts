import { describe, expect, it } from 'vitest';
import type { BucketLimits, BucketStore } from '../../platform/http/buckets.ts';

const takeAll = (store: BucketStore, client: string, n: number) =>
  Promise.all(Array.from({ length: n }, () => store.take(client)));
const allowed = (takes: { allowed: boolean }[]) => takes.filter((t) => t.allowed).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The behaviour every BucketStore adapter must have (on the real clock: the Redis one keeps Redis's time). */
export function bucketStoreContract(
  adapter: string,
  make: (limits: BucketLimits) => Promise<BucketStore>,
  enabled = true,
) {
  describe.runIf(enabled)(`BucketStore contract: ${adapter}`, () => {
    it('lets a burst through, then refuses with the time until the next token', async () => {
      const store = await make({ perMinute: 60, burst: 3 });
      for (let i = 0; i < 3; i++) expect(await store.take('a')).toEqual({ allowed: true });
      const refused = await store.take('a');
      expect(refused.allowed).toBe(false);
      if (!refused.allowed) expect(refused.retryAfterMs).toBeGreaterThan(800);
      if (!refused.allowed) expect(refused.retryAfterMs).toBeLessThanOrEqual(1_000);
    });

    it('keeps clients apart', async () => {
      const store = await make({ perMinute: 60, burst: 1 });
      expect((await store.take('a')).allowed).toBe(true);
      expect((await store.take('a')).allowed).toBe(false);
      expect((await store.take('b')).allowed).toBe(true);
    });

    it('refills at the sustained rate, and never above the burst', async () => {
      const store = await make({ perMinute: 600, burst: 2 }); // a token every 100 ms
      expect(allowed(await takeAll(store, 'a', 3))).toBe(2);
      await sleep(130);
      expect(allowed(await takeAll(store, 'a', 2))).toBe(1);
      await sleep(450); // 4.5 tokens' worth of time: the bucket holds 2
      expect(allowed(await takeAll(store, 'a', 4))).toBe(2);
    });

    it('lets exactly the burst through when requests arrive together', async () => {
      const store = await make({ perMinute: 1, burst: 5 });
      expect(allowed(await takeAll(store, 'a', 20))).toBe(5);
    });
  });
}
