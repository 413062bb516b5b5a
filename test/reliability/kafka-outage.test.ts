import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { asUser, call } from '../support/running-shop.ts';
import { privateKafka, type PrivateKafka } from '../support/private-kafka.ts';
import { realInfraEnv } from '../support/real-infra-env.ts';
import { recordFigures } from './figures.ts';
import {
  countMessages,
  createProduct,
  fillBaskets,
  handlersDone,
  pay,
  startRealShop,
  stockOf,
  unitsInBasket,
  type RealShop,
} from './harness.ts';

const { ready, env } = await realInfraEnv();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(ready)(
  'Kafka stopped for 10 s during a stream of checkouts (PostgreSQL, Redis, a Kafka of its own)',
  () => {
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

    it("applies every payment's effects once Kafka is back: none lost, none doubled", async () => {
      const users = Array.from({ length: 40 }, (_, i) => `outage-${i}`);
      const paid: string[] = [];
      let product = '';
      let down = { from: 0, to: 0 };
      let duringOutage = 0;
      let counter: Awaited<ReturnType<typeof countMessages>> | undefined;
      onTestFinished(async () => counter?.stop());
      recordFigures(
        'kafka-outage',
        async () => {
          // No counter, no count: the report shows "–" rather than a zero nobody counted.
          if (!counter) throw new Error('the test ended before payment-completed was being counted');
          const stock = await stockOf(shop.url, product);
          const left = await Promise.all(paid.map((u) => unitsInBasket(shop.url, u, product)));
          const orders = (1000 - stock) / 2;
          return {
            ...counter.figures(),
            doubled: Math.max(0, orders - paid.length) + left.filter((n) => n < 1).length,
            lost: Math.max(0, paid.length - orders) + left.filter((n) => n > 1).length,
            note: `${paid.length} checkouts answered 201, ${duringOutage} of them while Kafka was stopped or starting again (${Math.round((down.to - down.from) / 1000)} s down incl. restart); stock 1000 → ${stock}`,
          };
        },
        () => shop.url,
      );
      product = await createProduct(shop.url, 1000);
      await fillBaskets(shop.url, users, product, 2);

      // One checkout every 150 ms; Kafka goes down after the 8th, for 10 s, then starts again.
      const outage = (async () => {
        while (paid.length < 8) await sleep(20);
        const from = Date.now();
        await kafka.stop();
        await sleep(10_000);
        await kafka.start();
        down = { from, to: Date.now() };
      })();
      for (const user of users) {
        const res = await pay(shop.url, user);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        paid.push(user);
        if (down.from === 0 && paid.length > 8) duringOutage++;
        // Something added after paying stays in the basket: a doubled checkout would take it too.
        await call(
          `${shop.url}/api/v1/baskets/add`,
          'POST',
          { user_id: user, product_id: product, quantity: 1 },
          await asUser(user),
        );
        await sleep(150);
      }
      await outage;
      counter = await countMessages([kafka.brokers], 'payment-completed');
      await vi.waitFor(async () => expect(await stockOf(shop.url, product)).toBe(1000 - 2 * users.length), {
        timeout: 120_000,
        interval: 250,
      });
      await vi.waitFor(
        async () =>
          expect(await Promise.all(users.map((u) => unitsInBasket(shop.url, u, product)))).toEqual(users.map(() => 1)),
        { timeout: 60_000, interval: 250 },
      );
      // The handlers' groups have committed past every event: nothing more is coming.
      await handlersDone(kafka.brokers, '', 'payment-completed', [
        'product/on-payment-completed',
        'basket/on-payment-completed',
      ]);
      await vi.waitFor(() => expect(counter!.distinct()).toBe(users.length), { timeout: 30_000 });
      expect(await stockOf(shop.url, product)).toBe(1000 - 2 * users.length);
      expect(await Promise.all(users.map((u) => unitsInBasket(shop.url, u, product)))).toEqual(users.map(() => 1));
      expect(duringOutage).toBeGreaterThan(0);
    }, 300_000);
  },
);
