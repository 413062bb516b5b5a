import { describe, expect, it } from 'vitest';
import { createLog } from '../log.ts';
import type { BucketStore } from './buckets.ts';
import { withFallback } from './fallback-buckets.ts';
import { memoryBuckets } from './memory-buckets.ts';

/** A shared store that works or fails on demand, counting its calls. */
function switchable() {
  const state = { up: true, calls: 0 };
  const store: BucketStore = {
    take: async () => {
      state.calls++;
      if (!state.up) throw new Error('Connection is closed.');
      return { allowed: false, retryAfterMs: 5_000 }; // tells its answers apart from the local buckets'
    },
  };
  return { state, store };
}

function setup() {
  let t = 0;
  const warnings: { msg: string; fell_back: number }[] = [];
  const log = createLog('test', 'warn', { write: (line: string) => void warnings.push(JSON.parse(line)) });
  const shared = switchable();
  const store = withFallback(
    shared.store,
    memoryBuckets({ perMinute: 60, burst: 1 }, () => t),
    log,
    { warnEveryMs: 60_000, pauseMs: 1_000, now: () => t },
  );
  return {
    store,
    shared: shared.state,
    warnings,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('rate limits when the shared store fails', () => {
  it('answers from the shared store while it works', async () => {
    const s = setup();
    expect(await s.store.take('a')).toEqual({ allowed: false, retryAfterMs: 5_000 });
    expect(s.warnings).toEqual([]);
  });

  it("falls back to this process's buckets, and skips the shared store for a pause after a failure", async () => {
    const s = setup();
    s.shared.up = false;
    expect(await s.store.take('a')).toEqual({ allowed: true });
    expect(await s.store.take('a')).toEqual({ allowed: false, retryAfterMs: 1_000 });
    expect(s.shared.calls).toBe(1);
    s.advance(1_000);
    s.shared.up = true;
    expect(await s.store.take('a')).toEqual({ allowed: false, retryAfterMs: 5_000 });
    expect(s.shared.calls).toBe(2);
  });

  it('warns at most once a minute, with how many requests fell back meanwhile', async () => {
    const s = setup();
    s.shared.up = false;
    for (let i = 0; i < 30; i++, s.advance(1_000)) await s.store.take(`c${i}`);
    expect(s.warnings.map((w) => w.fell_back)).toEqual([1]);
    for (let i = 0; i < 31; i++, s.advance(1_000)) await s.store.take(`d${i}`);
    expect(s.warnings.map((w) => w.fell_back)).toEqual([1, 60]);
    expect(s.warnings[0]!.msg).toBe('rate limit store unavailable: each replica limits on its own until it is back');
  });
});
