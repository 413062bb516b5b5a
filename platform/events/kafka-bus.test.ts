import { describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { testLog } from '../../test/support/test-log.ts';
import { infraUrls, requireInfra, uniqueName } from '../../test/support/infra.ts';
import type { Message } from './bus.ts';
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
    const event = {
      specversion: '1.0',
      id: 'e1',
      source: '/t',
      type: 't',
      time: 'now',
      datacontenttype: 'application/json',
      data: {},
    } as const;

    const first = kafkaBus({ brokers, clientId: 'shutdown-1' }, testLog);
    let started!: () => void;
    const inFlight = new Promise<void>((r) => (started = r));
    const done: string[] = [];
    await first.subscribe(topic, 'g', async (m) => {
      started();
      await new Promise((r) => setTimeout(r, 500));
      done.push(JSON.parse(m.text).id);
    });
    await first.publish(topic, 'k', event);
    await inFlight;
    await first.close();
    expect(done).toEqual(['e1']);

    const second = kafkaBus({ brokers, clientId: 'shutdown-2' }, testLog);
    const redelivered: string[] = [];
    await second.subscribe(topic, 'g', async (m) => void redelivered.push(JSON.parse(m.text).id));
    await second.publish(topic, 'k', { ...event, id: 'e2' });
    for (let i = 0; i < 200 && !redelivered.includes('e2'); i++) await new Promise((r) => setTimeout(r, 25));
    await second.close();
    expect(redelivered).toEqual(['e2']);
  }, 60_000);
});

describe.runIf(await requireInfra('kafka'))('Kafka bus handing over messages', () => {
  it('hands over every message as received, one that is no CloudEvent too, with its key and Kafka metadata', async () => {
    const brokers = [new URL(infraUrls.kafka).host];
    const topic = uniqueName('raw');
    await ensureTopics(brokers, [topic], 1);
    const producer = new Kafka({ clientId: 'raw', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await producer.send({
      topic,
      messages: [
        { key: 'k1', value: '{"id": 42, "half a' },
        { key: 'k2', value: '{"id":"e2"}', headers: { traceparent } },
      ],
    });
    await producer.disconnect();
    const bus = kafkaBus({ brokers, clientId: 'raw' }, testLog);
    const got: Message[] = [];
    await bus.subscribe(topic, 'g', async (m) => void got.push(m));
    for (let i = 0; i < 400 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    await bus.close();
    expect(got.map(({ keepAlive, ...m }) => ({ ...m, keepAlive: typeof keepAlive }))).toEqual([
      { text: '{"id": 42, "half a', key: 'k1', context: { topic, partition: 0, offset: '0' }, keepAlive: 'function' },
      {
        text: '{"id":"e2"}',
        key: 'k2',
        context: { topic, partition: 0, offset: '1', traceparent },
        keepAlive: 'function',
      },
    ]);
  }, 60_000);
});
