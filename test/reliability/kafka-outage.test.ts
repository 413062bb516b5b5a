import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, call, eventually } from '../../gateway/test-gateway.ts';
import { privateKafka, type PrivateKafka } from '../private-kafka.ts';
import { realInfraEnv } from '../real-infra-env.ts';
import { recordFigures } from './figures.ts';
import { countMessages, createProduct, fillBaskets, pay, startRealShop, stockOf, unitsInBasket, type RealShop } from './harness.ts';

const { ready, env } = await realInfraEnv();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(ready)('Kafka stopped for 10 s during a stream of checkouts (PostgreSQL, Redis, a Kafka of its own)', () => {
  let kafka: PrivateKafka;
  let shop: RealShop;
  beforeAll(async () => {
    kafka = await privateKafka();
    await kafka.start();
    shop = await startRealShop({ ...env, KAFKA_BROKERS: kafka.brokers, KAFKA_PREFIX: '' });
  }, 120_000);
  afterAll(async () => {
    await shop?.stop();
    await kafka?.remove();
  }, 60_000);

  it('applies every payment\'s effects once Kafka is back: none lost, none doubled', async () => {
    const product = await createProduct(shop.url, 1000);
    const users = Array.from({ length: 40 }, (_, i) => `outage-${i}`);
    await fillBaskets(shop.url, users, product, 2);

    // One checkout every 150 ms; Kafka goes down after the 8th, for 10 s, then starts again.
    const paid: string[] = [];
    let down = { from: 0, to: 0 };
    const outage = (async () => {
      while (paid.length < 8) await sleep(20);
      const from = Date.now();
      await kafka.stop();
      await sleep(10_000);
      await kafka.start();
      down = { from, to: Date.now() };
    })();
    let duringOutage = 0;
    for (const user of users) {
      const res = await pay(shop.url, user);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      paid.push(user);
      if (down.from === 0 && paid.length > 8) duringOutage++;
      // Something added after paying stays in the basket: a doubled checkout would take it too.
      await call(`${shop.url}/api/v1/baskets/add`, 'POST', { user_id: user, product_id: product, quantity: 1 }, await asUser(user));
      await sleep(150);
    }
    await outage;
    const counter = await countMessages([kafka.brokers], 'payment-completed');
    await eventually(async () => (await stockOf(shop.url, product)) === 1000 - 2 * users.length, 120_000);
    await eventually(async () => (await Promise.all(users.map((u) => unitsInBasket(shop.url, u, product)))).every((n) => n === 1), 60_000);
    await eventually(async () => counter.distinct() === users.length, 30_000);
    await sleep(2_000);
    const stock = await stockOf(shop.url, product);
    const left = await Promise.all(users.map((u) => unitsInBasket(shop.url, u, product)));
    await counter.stop();
    const orders = (1000 - stock) / 2;

    await recordFigures('kafka-outage', {
      guarantee: 'Kafka down for 10 s during checkouts: payments still succeed, and every effect happens after Kafka is back, once',
      test: 'test/reliability/kafka-outage.test.ts',
      sent: counter.total(), delivered: counter.distinct(), duplicates: counter.total() - counter.distinct(),
      doubled: Math.max(0, orders - users.length) + left.filter((n) => n < 1).length,
      lost: Math.max(0, users.length - orders) + left.filter((n) => n > 1).length,
      note: `${users.length} checkouts, ${duringOutage} of them while Kafka was stopped or starting again (${Math.round((down.to - down.from) / 1000)} s down incl. restart); all answered 201; stock 1000 → ${stock}`,
    });
    expect(stock).toBe(1000 - 2 * users.length);
    expect(left.every((n) => n === 1)).toBe(true);
    expect(duringOutage).toBeGreaterThan(0);
  }, 300_000);
});
