import { describe, expect, it } from 'vitest';
import { atMostEvery } from './at-most-every.ts';

/** A run that counts its calls and ends when told. */
function gated() {
  const ends: ((n: number) => void)[] = [];
  const run = () => new Promise<number>((resolve) => ends.push(resolve));
  return { run, runs: () => ends.length, end: (i: number, n: number) => ends[i]!(n) };
}

describe('atMostEvery', () => {
  it('gives callers during a run that run, and for a while after it its result, then runs again', async () => {
    let t = 0;
    const g = gated();
    const get = atMostEvery(1_000, g.run, () => t);
    const during = [get(), get(), get()];
    expect(g.runs()).toBe(1);
    t = 5_000; // a slow run: its result's age counts from when it arrived
    g.end(0, 7);
    expect(await Promise.all(during)).toEqual([7, 7, 7]);
    t = 5_999;
    expect(await get()).toBe(7);
    expect(g.runs()).toBe(1);
    t = 6_000;
    const next = get();
    expect(g.runs()).toBe(2);
    g.end(1, 8);
    expect(await next).toBe(8);
  });

  it('keeps no failed run: the callers sharing it get its error, the next caller a new run', async () => {
    let runs = 0;
    const get = atMostEvery(
      1_000,
      async () => {
        runs++;
        if (runs === 1) throw new Error('down');
        return runs;
      },
      () => 0,
    );
    await expect(Promise.all([get(), get()])).rejects.toThrow('down');
    expect(await get()).toBe(2);
    expect(runs).toBe(2);
  });
});
