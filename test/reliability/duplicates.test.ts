import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { CloudEvent } from '../../platform/define.ts';
import { realInfraEnv, testInfraSigner } from '../support/real-infra-env.ts';
import { recordFigures } from './figures.ts';
import {
  countMessages,
  createProduct,
  fillBaskets,
  handlersDone,
  pay,
  stockOf,
  unitsInBasket,
  useRealShop,
} from './harness.ts';

const { ready, env } = await realInfraEnv();
const handlers = ['product/on-payment-completed', 'basket/on-payment-completed'];

describe.runIf(ready)('the same event delivered three times (PostgreSQL, Redis, Kafka)', () => {
  const shop = useRealShop(env);

  it('takes stock once and clears the basket once', async () => {
    const brokers = [env.KAFKA_BROKERS!];
    const topic = `${env.KAFKA_PREFIX}payment-completed`;
    const counter = await countMessages(brokers, topic);
    onTestFinished(() => counter.stop());
    const users = ['dup-1', 'dup-2', 'dup-3'];
    let product = '';
    let resent = 0;
    const applied = async () =>
      (
        await shop.db.query<{ n: number }>(
          "select count(*)::int as n from processed_events where consumer = 'product/on-payment-completed'",
        )
      )[0]!.n;
    recordFigures(
      'duplicates',
      async () => {
        const stock = await stockOf(shop.url, product);
        const left = await Promise.all(users.map((user) => unitsInBasket(shop.url, user, product)));
        const orders = (10 - stock) / 2;
        return {
          ...counter.figures(),
          doubled: Math.max(0, orders - users.length) + left.filter((n) => n < 1).length,
          lost: Math.max(0, users.length - orders) + left.filter((n) => n > 1).length,
          note:
            `${users.length} payments, ${resent} copies of their events published again by the test: stock 10 → ${stock} (2 per order), ` +
            `${await applied()} events applied by the stock handler, units left in the baskets after adding one more: ${left.join(', ')}`,
        };
      },
      () => shop.url,
    );

    product = await createProduct(shop.url, 10);
    await fillBaskets(shop.url, users, product, 2);
    for (const user of users) expect((await pay(shop.url, user)).status).toBe(201);
    await vi.waitFor(async () => expect(await stockOf(shop.url, product)).toBe(4), { timeout: 20_000 });
    for (const user of users)
      await vi.waitFor(async () => expect(await unitsInBasket(shop.url, user, product)).toBe(0), { timeout: 20_000 });

    // Each user adds one more unit; then every event arrives twice more, as after a crash of the
    // relay between publishing and marking, or a consumer rebalance.
    await fillBaskets(shop.url, users, product, 1);
    const events = await shop.db.query<{ key: string; event: object }>(
      "select key, event from outbox where topic = 'payment-completed'",
    );
    expect(events).toHaveLength(3);
    const producer = new Kafka({ clientId: 'duplicator', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    for (let i = 0; i < 2; i++) {
      await producer.send({
        topic,
        messages: events.map((e) => ({
          key: e.key,
          value: JSON.stringify(testInfraSigner.sign(e.event as CloudEvent)),
        })),
      });
      resent += events.length;
    }
    await producer.disconnect();
    // The handlers' groups have committed past every copy: they are done with them.
    await handlersDone(env.KAFKA_BROKERS!, env.KAFKA_PREFIX!, 'payment-completed', handlers);
    await vi.waitFor(() => expect(counter.total()).toBe(9), { timeout: 20_000 });

    expect(await stockOf(shop.url, product)).toBe(4);
    expect(await Promise.all(users.map((user) => unitsInBasket(shop.url, user, product)))).toEqual([1, 1, 1]);
    expect(await applied()).toBe(3);
  }, 90_000);
});
