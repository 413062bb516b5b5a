import { describe, expect, it, vi } from 'vitest';
import { testLog } from '../../test/support/test-log.ts';
import type { CloudEvent } from '../define.ts';
import type { Message } from './bus.ts';
import { memoryBus } from './memory-bus.ts';

const event = (id: string): CloudEvent => ({
  specversion: '1.0',
  id,
  source: '/t',
  type: 't',
  time: '2026-01-01T00:00:00Z',
  datacontenttype: 'application/json',
  data: {},
});
const idOf = (m: Message) => (JSON.parse(m.text) as CloudEvent).id;
const until = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('memoryBus', () => {
  it('delivers every event to every group of the topic, in order, and none of other topics', async () => {
    const bus = memoryBus(testLog);
    const seen: string[] = [];
    await bus.subscribe('t1', 'g1', async (m) => void seen.push(`g1:${idOf(m)}`));
    await bus.subscribe('t1', 'g2', async (m) => void seen.push(`g2:${idOf(m)}`));
    await bus.subscribe('t2', 'g3', async (m) => void seen.push(`g3:${idOf(m)}`));
    await bus.publish('t1', 'k', event('a'));
    await bus.publish('t1', 'k', event('b'));
    await until(() => seen.length === 4);
    expect(seen.filter((s) => s.startsWith('g1'))).toEqual(['g1:a', 'g1:b']);
    expect(seen.filter((s) => s.startsWith('g2'))).toEqual(['g2:a', 'g2:b']);
    expect(seen.filter((s) => s.startsWith('g3'))).toEqual([]);
  });

  it('delivers to every subscriber of the topic only, not to those of a topic whose name starts with it', async () => {
    const bus = memoryBus(testLog);
    const seen: string[] = [];
    await bus.subscribe('t', 'g', async (m) => void seen.push(`t/g:${idOf(m)}`));
    await bus.subscribe('t-more', 'g', async (m) => void seen.push(`t-more/g:${idOf(m)}`));
    await bus.subscribe('t', 'g', async (m) => void seen.push(`t/g again:${idOf(m)}`));
    await bus.publish('t', 'k', event('a'));
    await bus.publish('nobody-listens', 'k', event('b'));
    await until(() => seen.length === 2);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.sort()).toEqual(['t/g again:a', 't/g:a']);
  });

  it('never drops a message: one whose listener keeps throwing is delivered again, far past any attempt count, and the next waits behind it', async () => {
    const bus = memoryBus(testLog, { firstDelayMs: 1, maxDelayMs: 2 });
    const deliveries: string[] = [];
    let failures = 40;
    await bus.subscribe('t', 'g', async (m) => {
      deliveries.push(idOf(m));
      if (idOf(m) === 'stuck' && failures-- > 0) throw new Error('a dependency is down');
    });
    await bus.publish('t', 'k', event('stuck'));
    await bus.publish('t', 'k', event('next'));
    await until(() => deliveries.includes('next'));
    expect(deliveries).toEqual([...Array(41).fill('stuck'), 'next']);
  });

  // The bus's clock is the timers': faked, each wait is exactly what the bus asked for.
  it('waits longer between deliveries as they keep failing, but never longer than its cap', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const bus = memoryBus(testLog, { firstDelayMs: 10, maxDelayMs: 20 });
      const at: number[] = [];
      await bus.subscribe('t', 'g', async () => {
        at.push(Date.now());
        if (at.length < 8) throw new Error('down');
      });
      await bus.publish('t', 'k', event('a'));
      for (let i = 0; i < 100 && at.length < 8; i++) await vi.advanceTimersByTimeAsync(5);
      // 10, 20, then 20 ms each (uncapped: 40, 80, 160, 320, 640).
      expect(at.slice(1).map((t, i) => t - at[i]!)).toEqual([10, 20, 20, 20, 20, 20, 20]);
      await bus.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops delivering once closed, a waiting redelivery too', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const bus = memoryBus(testLog, { firstDelayMs: 60_000, maxDelayMs: 60_000 });
      let deliveries = 0;
      await bus.subscribe('t', 'g', async () => {
        deliveries++;
        throw new Error('down');
      });
      await bus.publish('t', 'k', event('a'));
      await vi.advanceTimersByTimeAsync(0);
      expect(deliveries).toBe(1);
      // Not closed, the redelivery comes when its 60 s are up: the test below can tell.
      await vi.advanceTimersByTimeAsync(60_000);
      expect(deliveries).toBe(2);
      await bus.close();
      await vi.advanceTimersByTimeAsync(10 * 60_000);
      expect(deliveries).toBe(2);
      await expect(bus.ready()).rejects.toThrow(/closed/);
    } finally {
      vi.useRealTimers();
    }
  });
});
