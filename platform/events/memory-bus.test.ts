import { describe, expect, it } from 'vitest';
import { testLog } from '../../test/support/test-log.ts';
import type { CloudEvent } from '../define.ts';
import { memoryBus } from './memory-bus.ts';

const event = (id: string): CloudEvent => ({
  specversion: '1.0', id, source: '/t', type: 't', time: '2026-01-01T00:00:00Z', datacontenttype: 'application/json', data: {},
});
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('memoryBus', () => {
  it('delivers every event to every group of the topic, in order, and none of other topics', async () => {
    const bus = memoryBus(testLog);
    const seen: string[] = [];
    bus.subscribe('t1', 'g1', async (e) => void seen.push(`g1:${e.id}`));
    bus.subscribe('t1', 'g2', async (e) => void seen.push(`g2:${e.id}`));
    bus.subscribe('t2', 'g3', async (e) => void seen.push(`g3:${e.id}`));
    await bus.publish('t1', 'k', event('a'));
    await bus.publish('t1', 'k', event('b'));
    await until(() => seen.length === 4);
    expect(seen.filter((s) => s.startsWith('g1'))).toEqual(['g1:a', 'g1:b']);
    expect(seen.filter((s) => s.startsWith('g2'))).toEqual(['g2:a', 'g2:b']);
  });

  it('retries a failing listener with backoff, keeping later events behind it', async () => {
    const bus = memoryBus(testLog, { attempts: 5, firstDelayMs: 1 });
    const seen: string[] = [];
    let failures = 2;
    bus.subscribe('t', 'g', async (e) => {
      if (e.id === 'a' && failures-- > 0) throw new Error('transient');
      seen.push(e.id);
    });
    await bus.publish('t', 'k', event('a'));
    await bus.publish('t', 'k', event('b'));
    await until(() => seen.length === 2);
    expect(seen).toEqual(['a', 'b']);
  });

  it('gives up on an event after the last attempt and goes on with the next', async () => {
    const bus = memoryBus(testLog, { attempts: 3, firstDelayMs: 1 });
    const attempts: string[] = [];
    bus.subscribe('t', 'g', async (e) => {
      attempts.push(e.id);
      if (e.id === 'poison') throw new Error('always');
    });
    await bus.publish('t', 'k', event('poison'));
    await bus.publish('t', 'k', event('next'));
    await until(() => attempts.includes('next'));
    expect(attempts).toEqual(['poison', 'poison', 'poison', 'next']);
  });
});
