import { afterAll, describe, expect, it } from 'vitest';
import { call, eventually } from '../../gateway/test-gateway.ts';
import { realInfraEnv } from '../real-infra-env.ts';
import { recordFigures } from './figures.ts';
import { countMessages, createProduct, fillBaskets, pay, stockOf, useRealShop } from './harness.ts';

const { ready, env } = await realInfraEnv();

describe.runIf(ready)('200 concurrent checkouts of a product with stock 10 (PostgreSQL, Redis, Kafka)', () => {
  const shop = useRealShop(env);
  let watching = false;
  afterAll(() => void (watching = false));

  it('keeps exactly 10 orders, refunds or refuses the rest, and stock ends at 0, never below', async () => {
    const brokers = [env.KAFKA_BROKERS!];
    const completed = await countMessages(brokers, `${env.KAFKA_PREFIX}payment-completed`);
    const rejected = await countMessages(brokers, `${env.KAFKA_PREFIX}stock-rejected`);
    const product = await createProduct(shop.url, 10);
    const users = Array.from({ length: 200 }, (_, i) => `rush-${i}`);
    await fillBaskets(shop.url, users, product, 1);

    // Stock is watched while the rush runs: it must never be seen below zero.
    let lowest = Infinity;
    watching = true;
    const watcher = (async () => {
      while (watching) {
        lowest = Math.min(lowest, await stockOf(shop.url, product).catch(() => lowest));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const answers = await Promise.all(users.map((user) => pay(shop.url, user)));
    const accepted = answers.filter((a) => a.status === 201).map((a) => a.body.id as string);
    const refused = answers.filter((a) => a.status === 409 && a.body.error.code === 'insufficient_stock').length;
    expect(accepted.length + refused, JSON.stringify(answers.find((a) => a.status !== 201 && a.status !== 409)?.body)).toBe(200);

    const statuses = async () => shop.db.query<{ status: string; n: number; refunded: number }>(
      'select status, count(*)::int as n, sum(refunded_minor)::int as refunded from payments where id = any($1::text[]) group by status', [accepted]);
    const count = (rows: { status: string; n: number }[], status: string) => rows.find((r) => r.status === status)?.n ?? 0;
    await eventually(async () => count(await statuses(), 'completed') + count(await statuses(), 'refunded') === accepted.length && count(await statuses(), 'refunded') === accepted.length - 10, 60_000);
    await eventually(async () => (await shop.db.query<{ n: number }>('select count(*)::int as n from outbox where published_at is null'))[0]!.n === 0, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    watching = false;
    await watcher;
    const rows = await statuses();
    const stock = await stockOf(shop.url, product);
    const refunds = await shop.db.query<{ n: number }>("select count(*)::int as n from outbox where topic = 'payment-refunded'");
    await Promise.all([completed.stop(), rejected.stop()]);
    const kept = count(rows, 'completed');
    const refunded = count(rows, 'refunded');

    await recordFigures('oversell', {
      guarantee: 'No overselling; the saga refunds what stock cannot serve: 200 concurrent checkouts of stock 10',
      test: 'test/reliability/oversell.test.ts',
      sent: completed.total(), delivered: completed.distinct(), duplicates: completed.total() - completed.distinct(),
      // An order kept beyond the stock, or refunded twice, would be doubled; a payment neither kept nor refunded, lost.
      doubled: Math.max(0, kept - 10) + Math.max(0, refunds[0]!.n - refunded),
      lost: accepted.length - kept - refunded,
      note: `${accepted.length} payments accepted, ${refused} refused up front (409); ${kept} kept, ${refunded} refunded in full after ${rejected.distinct()} stock-rejected events; stock 10 → ${stock}, lowest seen ${lowest}`,
    });
    expect(kept).toBe(10);
    expect(refunded).toBe(accepted.length - 10);
    expect(rows.find((r) => r.status === 'refunded')?.refunded ?? 0).toBe(refunded * 1000);
    expect(refunds[0]!.n).toBe(refunded);
    expect(rejected.distinct()).toBe(refunded);
    expect(stock).toBe(0);
    expect(lowest).toBeGreaterThanOrEqual(0);
  }, 180_000);
});
