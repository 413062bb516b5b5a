import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { readDeadLetters } from '../../functions/events/dead-letter-queue.ts';
import { stockRejected } from '../support/test-events.ts';
import { realInfraEnv, testInfraSigner } from '../support/real-infra-env.ts';
import { recordFigures } from './figures.ts';
import { approvedCard, countMessages, createProduct, fillBaskets, handlersDone, pay, useRealShop } from './harness.ts';

const { ready, env } = await realInfraEnv();
const root = new URL('../..', import.meta.url).pathname;
const dlq = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/dlq.ts', ...args], {
    cwd: root,
    env: { ...process.env, KAFKA_BROKERS: env.KAFKA_BROKERS, KAFKA_PREFIX: env.KAFKA_PREFIX },
  });

describe.runIf(ready)(
  'poison messages go to the dead-letter topic and can be replayed (PostgreSQL, Redis, Kafka)',
  () => {
    const shop = useRealShop(env);

    it('dead-letters an unreadable message at once and a failing event after its attempts, without blocking the partition', async () => {
      const brokers = [env.KAFKA_BROKERS!];
      const topic = { brokers, prefix: env.KAFKA_PREFIX! };
      const counter = await countMessages(brokers, `${env.KAFKA_PREFIX}stock-rejected`);
      onTestFinished(() => counter.stop());
      const payments = shop.runtime.deps.payments;
      const refundable: string[] = [];
      let letters: Awaited<ReturnType<typeof readDeadLetters>>['letters'] = [];
      let replayed = false;
      recordFigures(
        'dead-letters',
        async () => {
          const refunded = (await Promise.all(refundable.map((id) => payments.get(id)))).filter(
            (p) => p?.status === 'refunded',
          ).length;
          const [refunds] = await shop.db.query<{ n: number }>(
            "select count(*)::int as n from outbox where topic = 'payment-refunded'",
          );
          const [applied] = await shop.db.query<{ n: number }>(
            "select count(*)::int as n from processed_events where consumer = 'payment/on-stock-rejected'",
          );
          return {
            ...counter.figures(),
            doubled: Math.max(0, refunds!.n - refunded),
            lost: refundable.length - refunded,
            note:
              `${letters.length} dead letters (${letters.map((l) => `${l.event_id || 'unreadable'}: ${l.attempts} attempt(s)`).join(', ')}); ` +
              `${applied!.n} events applied by payment/on-stock-rejected, ${refunded} of ${refundable.length} payments refunded, ` +
              (replayed
                ? 'the failing event replayed with dlq:replay after its payment appeared'
                : 'the failing event not replayed'),
          };
        },
        () => shop.url,
      );
      const product = await createProduct(shop.url, 5);
      await fillBaskets(shop.url, ['dlq-real'], product, 1);
      const real = (await pay(shop.url, 'dlq-real')).body;
      refundable.push(real.id, 'ghost-payment');

      // Behind one key (one partition): garbage, then a refund request for a payment that does
      // not exist (yet), then a valid one for the real payment; written now, as the shop's clock
      // judges them (replay window).
      const now = new Date().toISOString();
      const ghost = testInfraSigner.sign(stockRejected('ghost-event', 'ghost-payment', 'mug', now));
      const valid = testInfraSigner.sign(stockRejected('real-event', real.id, 'mug', now));
      const producer = new Kafka({ clientId: 'poison', brokers, logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
      await producer.send({
        topic: `${env.KAFKA_PREFIX}stock-rejected`,
        messages: [
          { key: 'poison', value: 'not a cloudevent {' },
          { key: 'poison', value: JSON.stringify(ghost) },
          { key: 'poison', value: JSON.stringify(valid) },
        ],
      });
      await producer.disconnect();

      await vi.waitFor(async () => expect((await payments.get(real.id))?.status).toBe('refunded'), { timeout: 30_000 });
      const read = await readDeadLetters(topic);
      letters = read.letters;
      expect(read.unreadable).toEqual([]);
      expect(letters).toMatchObject([
        {
          topic: 'stock-rejected',
          handler: 'payment/on-stock-rejected',
          reason: 'message is not a CloudEvent: not JSON',
          attempts: 1,
          event_id: '',
          key: 'poison',
          payload: 'not a cloudevent {',
        },
        {
          topic: 'stock-rejected',
          handler: 'payment/on-stock-rejected',
          reason: 'failed 5 times, last: payment ghost-payment not found',
          attempts: 5,
          event_id: 'ghost-event',
          key: 'poison',
        },
      ]);
      const listed = (await dlq('list')).stdout;
      expect(listed).toContain('event ghost-event');
      expect(listed).toContain('2 dead letter(s)');

      // The missing payment turns up; replaying the dead letter refunds it.
      const ghostPayment = {
        ...real,
        id: 'ghost-payment',
        order_id: 'ghost-order',
        status: 'pending' as const,
        refunded: { ...real.refunded },
      };
      await payments.begin(ghostPayment);
      // Charged at the provider as any payment is: a refund of a charge it never made is refused.
      await shop.runtime.deps.provider.charge({ key: 'ghost-payment', amount: real.amount, card: approvedCard });
      await payments.finish({ ...ghostPayment, status: 'completed' }, []);
      expect((await dlq('replay', 'ghost-event')).stdout).toContain('replayed event ghost-event to stock-rejected');
      replayed = true;
      await vi.waitFor(async () => expect((await payments.get('ghost-payment'))?.status).toBe('refunded'), {
        timeout: 30_000,
      });
      await expect(dlq('replay', 'no-such-event')).rejects.toMatchObject({
        stderr: expect.stringContaining('not in the dead-letter topic: no-such-event'),
      });
      // The handler's group is past every message, the replay included; the counting group has them all.
      await handlersDone(env.KAFKA_BROKERS!, env.KAFKA_PREFIX!, 'stock-rejected', ['payment/on-stock-rejected']);
      await vi.waitFor(() => expect(counter.total()).toBe(4), { timeout: 20_000 });
    }, 120_000);
  },
);
