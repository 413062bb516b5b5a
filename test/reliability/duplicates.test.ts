import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../gateway/test-gateway.ts';
import type { CloudEvent } from '../../platform/define.ts';
import { realInfraEnv, testInfraSigner } from '../real-infra-env.ts';
import { recordFigures } from './figures.ts';
import { countMessages, createProduct, fillBaskets, pay, stockOf, unitsInBasket, useRealShop } from './harness.ts';

const { ready, env } = await realInfraEnv();

describe.runIf(ready)('the same event delivered three times (PostgreSQL, Redis, Kafka)', () => {
  const shop = useRealShop(env);

  it('takes stock once and clears the basket once', async () => {
    const brokers = [env.KAFKA_BROKERS!];
    const topic = `${env.KAFKA_PREFIX}payment-completed`;
    const counter = await countMessages(brokers, topic);
    const product = await createProduct(shop.url, 10);
    const users = ['dup-1', 'dup-2', 'dup-3'];
    await fillBaskets(shop.url, users, product, 2);
    for (const user of users) expect((await pay(shop.url, user)).status).toBe(201);
    await eventually(async () => (await stockOf(shop.url, product)) === 4, 20_000);
    for (const user of users) await eventually(async () => (await unitsInBasket(shop.url, user, product)) === 0, 20_000);

    // Each user adds one more unit; then every event arrives twice more, as after a crash of the
    // relay between publishing and marking, or a consumer rebalance.
    await fillBaskets(shop.url, users, product, 1);
    const events = await shop.db.query<{ key: string; event: object }>("select key, event from outbox where topic = 'payment-completed'");
    expect(events).toHaveLength(3);
    const producer = new Kafka({ clientId: 'duplicator', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    for (let i = 0; i < 2; i++) await producer.send({ topic, messages: events.map((e) => ({ key: e.key, value: JSON.stringify(testInfraSigner.sign(e.event as CloudEvent)) })) });
    await producer.disconnect();
    await eventually(async () => counter.total() === 9, 20_000);
    const applied = async () => (await shop.db.query<{ n: number }>("select count(*)::int as n from processed_events where consumer = 'product/on-payment-completed'"))[0]!.n;
    // The duplicates were consumed (the handlers' groups are past them) when the counting group
    // has them and a while has passed; nothing may have changed.
    await new Promise((r) => setTimeout(r, 2_000));
    const stock = await stockOf(shop.url, product);
    const left = await Promise.all(users.map((user) => unitsInBasket(shop.url, user, product)));
    const orders = (10 - stock) / 2;
    await counter.stop();

    await recordFigures('duplicates', {
      guarantee: 'Exactly-once effects over at-least-once delivery: the same event three times changes stock and basket once',
      test: 'test/reliability/duplicates.test.ts',
      sent: counter.total(), delivered: counter.distinct(), duplicates: counter.total() - counter.distinct(),
      doubled: Math.max(0, orders - 3) + left.filter((n) => n < 1).length,
      lost: Math.max(0, 3 - orders) + left.filter((n) => n > 1).length,
      note: `3 payments, each event delivered 3 times: stock 10 → ${stock} (2 per order), units left in the baskets after adding one more: ${left.join(', ')}`,
    });
    expect(stock).toBe(4);
    expect(left).toEqual([1, 1, 1]);
    expect(await applied()).toBe(3);
  }, 90_000);
});
