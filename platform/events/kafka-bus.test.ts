import { describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { recordingDeadLetters, testLog } from '../../test/support/test-log.ts';
import { infraUrls, requireInfra, uniqueName } from '../../test/support/infra.ts';
import { ensureTopics, kafkaBus } from './kafka-bus.ts';

describe('Kafka connections', () => {
  it('fail at start with a message naming Kafka, the brokers and how to start it', async () => {
    const bus = kafkaBus({ brokers: ['127.0.0.1:1'], clientId: 'test', unreadable: recordingDeadLetters().send }, testLog);
    await expect(bus.connect()).rejects.toThrow(/Kafka is unreachable at 127\.0\.0\.1:1 .*npm run infra:up/);
  }, 60_000);
});

describe.runIf(await requireInfra('kafka'))('Kafka bus shutdown', () => {
  it('finishes the event in flight and commits it before disconnecting', async () => {
    const brokers = [new URL(infraUrls.kafka).host];
    const topic = uniqueName('shutdown');
    await ensureTopics(brokers, [topic], 1);
    const event = { specversion: '1.0', id: 'e1', source: '/t', type: 't', time: 'now', datacontenttype: 'application/json', data: {} } as const;

    const first = kafkaBus({ brokers, clientId: 'shutdown-1', unreadable: recordingDeadLetters().send }, testLog);
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

    const second = kafkaBus({ brokers, clientId: 'shutdown-2', unreadable: recordingDeadLetters().send }, testLog);
    const redelivered: string[] = [];
    await second.subscribe(topic, 'g', async (e) => void redelivered.push(e.id));
    await second.publish(topic, 'k', { ...event, id: 'e2' });
    for (let i = 0; i < 200 && !redelivered.includes('e2'); i++) await new Promise((r) => setTimeout(r, 25));
    await second.close();
    expect(redelivered).toEqual(['e2']);
  }, 60_000);
});

describe.runIf(await requireInfra('kafka'))('Kafka bus and unreadable messages', () => {
  it('sends a message that is no CloudEvent to the dead-letter sink as received, and goes on with the next', async () => {
    const brokers = [new URL(infraUrls.kafka).host];
    const topic = uniqueName('unreadable');
    await ensureTopics(brokers, [topic], 1);
    const producer = new Kafka({ clientId: 'raw', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k1', value: '{"id": 42, "half a' }, { key: 'k2', value: JSON.stringify({ specversion: '1.0', id: 'e2', source: '/t', type: 't', data: {} }) }] });
    await producer.disconnect();
    const dead = recordingDeadLetters();
    const bus = kafkaBus({ brokers, clientId: 'unreadable', unreadable: dead.send }, testLog);
    const got: string[] = [];
    await bus.subscribe(topic, 'g', async (e, context) => void got.push(`${e.id}@${context?.key}`));
    for (let i = 0; i < 400 && !got.length; i++) await new Promise((r) => setTimeout(r, 25));
    await bus.close();
    expect(got).toEqual(['e2@k2']);
    expect(dead.sent).toEqual([{ topic, handler: 'g', reason: 'message is not a CloudEvent', attempts: 1, event_id: '', key: 'k1', payload: '{"id": 42, "half a' }]);
  }, 60_000);
});
