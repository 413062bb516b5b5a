import { describe, expect, it } from 'vitest';
import { testLog } from '../../functions/test-deps.ts';
import { infraUrls, requireInfra, uniqueName } from '../../test/infra.ts';
import { ensureTopics, kafkaBus } from './kafka-bus.ts';

describe('Kafka connections', () => {
  it('fail at start with a message naming Kafka, the brokers and how to start it', async () => {
    const bus = kafkaBus({ brokers: ['127.0.0.1:1'], clientId: 'test' }, testLog);
    await expect(bus.connect()).rejects.toThrow(/Kafka is unreachable at 127\.0\.0\.1:1 .*npm run infra:up/);
  }, 60_000);
});

describe.runIf(await requireInfra('kafka'))('Kafka bus shutdown', () => {
  it('finishes the event in flight and commits it before disconnecting', async () => {
    const brokers = [new URL(infraUrls.kafka).host];
    const topic = uniqueName('shutdown');
    await ensureTopics(brokers, [topic], 1);
    const event = { specversion: '1.0', id: 'e1', source: '/t', type: 't', time: 'now', datacontenttype: 'application/json', data: {} } as const;

    const first = kafkaBus({ brokers, clientId: 'shutdown-1' }, testLog);
    let started!: () => void;
    const inFlight = new Promise<void>((r) => (started = r));
    const done: string[] = [];
    await first.subscribe(topic, 'g', async (e) => {
      started();
      await new Promise((r) => setTimeout(r, 500));
      done.push(e.id);
    });
    await first.publish(topic, 'k', event);
    await inFlight;
    await first.close();
    expect(done).toEqual(['e1']);

    const second = kafkaBus({ brokers, clientId: 'shutdown-2' }, testLog);
    const redelivered: string[] = [];
    await second.subscribe(topic, 'g', async (e) => void redelivered.push(e.id));
    await second.publish(topic, 'k', { ...event, id: 'e2' });
    for (let i = 0; i < 200 && !redelivered.includes('e2'); i++) await new Promise((r) => setTimeout(r, 25));
    await second.close();
    expect(redelivered).toEqual(['e2']);
  }, 60_000);
});
