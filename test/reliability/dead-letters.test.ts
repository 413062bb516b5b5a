import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { readDeadLetters } from '../../functions/events/dead-letter-topic.ts';
import { stockRejected } from '../../functions/events/test-events.ts';
import { eventually } from '../../gateway/test-gateway.ts';
import { realInfraEnv, testInfraSigner } from '../real-infra-env.ts';
import { recordFigures } from './figures.ts';
import { createProduct, fillBaskets, pay, useRealShop } from './harness.ts';

const { ready, env } = await realInfraEnv();
const root = new URL('../..', import.meta.url).pathname;
const dlq = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/dlq.ts', ...args], { cwd: root, env: { ...process.env, KAFKA_BROKERS: env.KAFKA_BROKERS, KAFKA_PREFIX: env.KAFKA_PREFIX } });

describe.runIf(ready)('poison messages go to the dead-letter topic and can be replayed (PostgreSQL, Redis, Kafka)', () => {
  const shop = useRealShop(env);

  it('dead-letters an unreadable message at once and a failing event after its attempts, without blocking the partition', async () => {
    const brokers = [env.KAFKA_BROKERS!];
    const topic = { brokers, prefix: env.KAFKA_PREFIX! };
    const product = await createProduct(shop.url, 5);
    await fillBaskets(shop.url, ['dlq-real'], product, 1);
    const real = (await pay(shop.url, 'dlq-real')).body;

    // Behind one key (one partition): garbage, then a refund request for a payment that does
    // not exist (yet), then a valid one for the real payment.
    const ghost = testInfraSigner.sign(stockRejected('ghost-event', 'ghost-payment'));
    const valid = testInfraSigner.sign(stockRejected('real-event', real.id));
    const producer = new Kafka({ clientId: 'poison', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({
      topic: `${env.KAFKA_PREFIX}stock-rejected`,
      messages: [{ key: 'poison', value: 'not a cloudevent {' }, { key: 'poison', value: JSON.stringify(ghost) }, { key: 'poison', value: JSON.stringify(valid) }],
    });
    await producer.disconnect();

    await eventually(async () => (await shop.runtime.deps.payments.get(real.id))?.status === 'refunded', 30_000);
    const letters = await readDeadLetters(topic);
    expect(letters).toMatchObject([
      { topic: 'stock-rejected', handler: 'payment/on-stock-rejected', reason: 'message is not a CloudEvent', attempts: 1, event_id: '', key: 'poison', payload: 'not a cloudevent {' },
      { topic: 'stock-rejected', handler: 'payment/on-stock-rejected', reason: 'failed 5 times, last: payment ghost-payment not found', attempts: 5, event_id: 'ghost-event', key: 'poison' },
    ]);
    const listed = (await dlq('list')).stdout;
    expect(listed).toContain('event ghost-event');
    expect(listed).toContain('2 dead letter(s)');

    // The missing payment turns up; replaying the dead letter refunds it.
    const payments = shop.runtime.deps.payments;
    const ghostPayment = { ...real, id: 'ghost-payment', order_id: 'ghost-order', status: 'pending' as const, refunded: { ...real.refunded } };
    await payments.begin(ghostPayment);
    await payments.finish({ ...ghostPayment, status: 'completed' }, []);
    expect((await dlq('replay', 'ghost-event')).stdout).toContain('replayed event ghost-event to stock-rejected');
    await eventually(async () => (await payments.get('ghost-payment'))?.status === 'refunded', 30_000);
    await expect(dlq('replay', 'no-such-event')).rejects.toMatchObject({ stderr: expect.stringContaining('not in the dead-letter topic: no-such-event') });

    await recordFigures('dead-letters', {
      guarantee: 'Poison messages: dead-lettered with the reason after bounded retries, the partition keeps flowing, replay applies the fix',
      test: 'test/reliability/dead-letters.test.ts',
      sent: 3, delivered: 3, duplicates: 0, doubled: 0,
      lost: [real.id, 'ghost-payment'].length - (await Promise.all([payments.get(real.id), payments.get('ghost-payment')])).filter((p) => p?.status === 'refunded').length,
      note: `1 unreadable message and 1 event failing 5 times dead-lettered (${letters.length} letters), the valid event behind them applied; the failing one replayed with dlq:replay after its payment appeared`,
    });
  }, 120_000);
});
