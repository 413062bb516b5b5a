import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { realInfraEnv } from '../support/real-infra-env.ts';
import { recordFigures } from './figures.ts';
import { countMessages, createProduct, fillBaskets, handlersDone, pay, stockOf, useRealShop } from './harness.ts';

const { ready, env } = await realInfraEnv();
const START = 10;

/** A buyer's payments for the product, as the payments table holds them. */
interface Charge {
  user_id: string;
  status: string;
  net: number;
  units: number;
}

describe.runIf(ready)('200 concurrent checkouts of a product with stock 10 (PostgreSQL, Redis, Kafka)', () => {
  const shop = useRealShop(env);

  it('keeps exactly 10 orders: units kept plus stock left equal the stock at start, and no refused or refunded buyer is charged', async () => {
    const brokers = [env.KAFKA_BROKERS!];
    const completed = await countMessages(brokers, `${env.KAFKA_PREFIX}payment-completed`);
    const rejected = await countMessages(brokers, `${env.KAFKA_PREFIX}stock-rejected`);
    onTestFinished(() => Promise.all([completed.stop(), rejected.stop()]).then(() => undefined));
    const users = Array.from({ length: 200 }, (_, i) => `rush-${i}`);
    let product = '';
    const answers: { user: string; status: number; code?: string }[] = [];
    // Net charge (amount less refunds) of every payment of the rush, and the units of the product it holds.
    const charges = () =>
      shop.db.query<Charge>(
        `select user_id, status,
         case when status in ('completed', 'refunded', 'partially_refunded', 'pending') then amount_minor - refunded_minor else 0 end::int as net,
         coalesce((select sum((i->>'quantity')::int) from jsonb_array_elements(items) i where i->>'product_id' = $2), 0)::int as units
       from payments where user_id = any($1::text[])`,
        [users, product],
      );
    const refundEvents = async () =>
      (await shop.db.query<{ n: number }>("select count(*)::int as n from outbox where topic = 'payment-refunded'"))[0]!
        .n;
    const tally = (rows: Charge[]) => {
      const kept = rows.filter((r) => r.status === 'completed');
      return {
        kept: kept.length,
        units: kept.reduce((n, r) => n + r.units, 0),
        refunded: rows.filter((r) => r.status === 'refunded').length,
        // Buyers who hold no kept order but were charged something, net.
        overcharged: rows.filter((r) => r.status !== 'completed' && r.net > 0).map((r) => r.user_id),
      };
    };
    recordFigures(
      'oversell',
      async () => {
        const t = tally(await charges());
        const stock = await stockOf(shop.url, product);
        const taken = START - stock;
        const accepted = answers.filter((a) => a.status === 201).length;
        return {
          ...completed.figures(),
          // Stock taken beyond the units kept, orders beyond the stock, refunds beyond the refunded payments: doubled.
          doubled:
            Math.max(0, taken - t.units) +
            Math.max(0, t.kept - START) +
            Math.max(0, (await refundEvents()) - t.refunded),
          // Kept units never taken from stock, payments neither kept nor refunded, buyers charged without an order: lost.
          lost: Math.max(0, t.units - taken) + (accepted - t.kept - t.refunded) + t.overcharged.length,
          note:
            `${accepted} payments accepted, ${answers.filter((a) => a.code === 'insufficient_stock').length} refused up front (409); ${t.kept} kept (${t.units} units), ` +
            `${t.refunded} refunded in full after ${rejected.distinct()} stock-rejected events; stock ${START} → ${stock}; ${t.overcharged.length} buyers charged without an order`,
        };
      },
      () => shop.url,
    );

    product = await createProduct(shop.url, START);
    await fillBaskets(shop.url, users, product, 1);
    await Promise.all(
      users.map(async (user) => {
        const res = await pay(shop.url, user);
        answers.push({ user, status: res.status, code: res.body?.error?.code });
      }),
    );
    const accepted = answers.filter((a) => a.status === 201).length;
    const refused = answers.filter((a) => a.status === 409 && a.code === 'insufficient_stock').length;
    expect(
      accepted + refused,
      JSON.stringify(answers.find((a) => a.status !== 201 && a.code !== 'insufficient_stock')),
    ).toBe(users.length);

    // Every accepted payment settles: kept, or refunded by the saga.
    await vi.waitFor(
      async () => {
        const t = tally(await charges());
        expect(t.kept + t.refunded).toBe(accepted);
      },
      { timeout: 60_000, interval: 250 },
    );
    await vi.waitFor(
      async () =>
        expect(
          (await shop.db.query<{ n: number }>('select count(*)::int as n from outbox where published_at is null'))[0]!
            .n,
        ).toBe(0),
      { timeout: 30_000 },
    );
    // The handlers' groups are past every event: nothing more will change.
    await handlersDone(env.KAFKA_BROKERS!, env.KAFKA_PREFIX!, 'payment-completed', [
      'product/on-payment-completed',
      'basket/on-payment-completed',
    ]);
    await handlersDone(env.KAFKA_BROKERS!, env.KAFKA_PREFIX!, 'stock-rejected', ['payment/on-stock-rejected']);

    const t = tally(await charges());
    const stock = await stockOf(shop.url, product);
    expect(t.kept).toBe(START);
    expect(t.units + stock).toBe(START);
    expect(t.overcharged).toEqual([]);
    expect(t.refunded).toBe(accepted - START);
    expect(await refundEvents()).toBe(t.refunded);
    await vi.waitFor(() => expect(rejected.distinct()).toBe(t.refunded), { timeout: 20_000 });
  }, 180_000);
});
