import { afterAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '../../platform/define.ts';
import type { EventBus, Message } from '../../platform/events/bus.ts';
import { readCloudEvent } from '../../platform/events/cloud-event.ts';

/** A bus under test, and a way to get a topic no other test uses. */
export interface BusUnderTest {
  bus: EventBus;
  freshTopic(): Promise<string>;
}

const event = (id: string): CloudEvent => ({
  specversion: '1.0',
  id,
  source: '/contract',
  type: 'test',
  time: '2026-01-01T00:00:00Z',
  datacontenttype: 'application/json',
  data: { id },
});

/** The event a message carries (the test fails when it carries none). */
function eventOf(m: Message): CloudEvent {
  const read = readCloudEvent(m.text);
  if ('reason' in read) throw new Error(read.reason);
  return read.event;
}
const idOf = (m: Message) => eventOf(m).id;

/** Resolves when `check` holds, polling; fails after `ms`. */
async function until(check: () => boolean, ms = 20_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The behaviour every EventBus adapter must have. */
export function busContract(adapter: string, make: () => Promise<BusUnderTest>, enabled = true) {
  describe.runIf(enabled)(`EventBus contract: ${adapter}`, () => {
    let t: BusUnderTest | undefined;
    const setup = async () => (t ??= await make());
    afterAll(async () => t?.bus.close());

    it('delivers every event to every group of its topic, in order per key, and nothing else', async () => {
      const { bus, freshTopic } = await setup();
      const [topic, other] = [await freshTopic(), await freshTopic()];
      const seen: Record<string, string[]> = { g1: [], g2: [], g3: [] };
      await bus.subscribe(topic, `${topic}-g1`, async (m) => void seen.g1!.push(idOf(m)));
      await bus.subscribe(topic, `${topic}-g2`, async (m) => void seen.g2!.push(idOf(m)));
      await bus.subscribe(other, `${other}-g3`, async (m) => void seen.g3!.push(idOf(m)));
      for (const id of ['a', 'b', 'c']) await bus.publish(topic, 'k', event(id));
      await until(() => seen.g1!.length === 3 && seen.g2!.length === 3);
      expect(seen).toEqual({ g1: ['a', 'b', 'c'], g2: ['a', 'b', 'c'], g3: [] });
      expect(seen.g1).toEqual(['a', 'b', 'c']);
    });

    it('hands over the message whole, unparsed, with its key: id, type, data, traceparent', async () => {
      const { bus, freshTopic } = await setup();
      const topic = await freshTopic();
      const got: Message[] = [];
      await bus.subscribe(topic, `${topic}-g`, async (m) => void got.push(m));
      await bus.publish(topic, 'k', {
        ...event('x'),
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      });
      await until(() => got.length === 1);
      expect(got[0]!.key).toBe('k');
      expect(typeof got[0]!.text).toBe('string');
      expect(eventOf(got[0]!)).toMatchObject({
        id: 'x',
        type: 'test',
        data: { id: 'x' },
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      });
    });

    it('never gives up on a message: one whose listener keeps throwing (any error) comes again until taken, before the next one', async () => {
      const { bus, freshTopic } = await setup();
      const topic = await freshTopic();
      const seen: string[] = [];
      // More failures than kafkajs retries before it restarts its consumer; some are the errors it would give up on.
      let failures = 12;
      await bus.subscribe(topic, `${topic}-g`, async (m) => {
        if (idOf(m) === 'a' && failures-- > 0) throw failures % 2 ? new TypeError('a bug') : new Error('down');
        seen.push(idOf(m));
      });
      await bus.publish(topic, 'k', event('a'));
      await bus.publish(topic, 'k', event('b'));
      await until(() => seen.length === 2, 50_000);
      expect(seen).toEqual(['a', 'b']);
      expect(failures).toBe(-1);
    }, 60_000);
  });
}
