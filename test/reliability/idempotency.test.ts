import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { asUser, call } from '../support/running-shop.ts';
import { realInfraEnv } from '../support/real-infra-env.ts';
import { recordFigures } from './figures.ts';
import {
  approvedCard,
  countMessages,
  createProduct,
  fillBaskets,
  handlersDone,
  stockOf,
  useRealShop,
} from './harness.ts';

const { ready, env } = await realInfraEnv();

describe.runIf(ready)('concurrent retries of one payment (PostgreSQL, Redis, Kafka)', () => {
  const shop = useRealShop(env);

  it('charges once for 20 concurrent requests with the same Idempotency-Key, and refuses the key for another body', async () => {
    const counter = await countMessages([env.KAFKA_BROKERS!], `${env.KAFKA_PREFIX}payment-completed`);
    onTestFinished(() => counter.stop());
    const answers: { status: number; body: any }[] = [];
    let rushed = 0; // requests sent at once, counted as they go
    let product = '';
    const count = async (sql: string) => (await shop.db.query<{ n: number }>(sql))[0]!.n;
    recordFigures(
      'idempotency',
      async () => {
        const payments = await count("select count(*)::int as n from payments where user_id = 'idem-1'");
        const events = await count("select count(*)::int as n from outbox where topic = 'payment-completed'");
        const stock = await stockOf(shop.url, product);
        const orders = (10 - stock) / 3;
        const status = (s: number, code?: string) =>
          answers.filter((a) => a.status === s && (!code || a.body?.error?.code === code)).length;
        return {
          ...counter.figures(),
          doubled: Math.max(0, payments - 1) + Math.max(0, orders - 1),
          lost: Math.max(0, 1 - payments) + Math.max(0, 1 - orders),
          note:
            `${answers.length} requests with one key (${rushed} at once): ${status(201)} answered 201, ${status(409, 'payment_in_progress')} 409 payment_in_progress, ` +
            `${status(422, 'idempotency_key_reused')} 422 for another body; ${payments} payment, ${events} event in the outbox, stock 10 → ${stock}`,
        };
      },
      () => shop.url,
    );

    product = await createProduct(shop.url, 10);
    await fillBaskets(shop.url, ['idem-1'], product, 3);
    const auth = await asUser('idem-1');
    const send = async (holder = approvedCard.holder) => {
      const answer = await call(
        `${shop.url}/api/v1/payments`,
        'POST',
        { user_id: 'idem-1', card: { ...approvedCard, holder } },
        { 'idempotency-key': 'checkout-42', ...auth },
      );
      answers.push(answer);
      return answer;
    };
    const rush = await Promise.all(
      Array.from({ length: 20 }, () => {
        rushed++;
        return send();
      }),
    );
    const created = rush.filter((a) => a.status === 201);
    const inProgress = rush.filter((a) => a.status === 409 && a.body.error.code === 'payment_in_progress');
    expect(created.length + inProgress.length, JSON.stringify(rush.map((a) => a.status))).toBe(20);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    expect(await send()).toMatchObject({ status: 201, body: { id: created[0]!.body.id } });
    expect(await send('Someone Else')).toMatchObject({
      status: 422,
      body: { error: { code: 'idempotency_key_reused' } },
    });

    await vi.waitFor(async () => expect(await stockOf(shop.url, product)).toBe(7), { timeout: 20_000 });
    await handlersDone(env.KAFKA_BROKERS!, env.KAFKA_PREFIX!, 'payment-completed', [
      'product/on-payment-completed',
      'basket/on-payment-completed',
    ]);
    await vi.waitFor(() => expect(counter.total()).toBeGreaterThanOrEqual(1), { timeout: 20_000 });
    expect(await count("select count(*)::int as n from payments where user_id = 'idem-1'")).toBe(1);
    expect(await count("select count(*)::int as n from outbox where topic = 'payment-completed'")).toBe(1);
    expect(counter.distinct()).toBe(1);
    expect(await stockOf(shop.url, product)).toBe(7);
  }, 60_000);
});
