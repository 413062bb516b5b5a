import { describe, expect, it } from 'vitest';
import { asUser, call, eventually } from '../../gateway/test-gateway.ts';
import { realInfraEnv } from '../real-infra-env.ts';
import { recordFigures } from './figures.ts';
import { approvedCard, createProduct, fillBaskets, stockOf, useRealShop } from './harness.ts';

const { ready, env } = await realInfraEnv();

describe.runIf(ready)('concurrent retries of one payment (PostgreSQL, Redis, Kafka)', () => {
  const shop = useRealShop(env);

  it('charges once for 20 concurrent requests with the same Idempotency-Key, and refuses the key for another body', async () => {
    const product = await createProduct(shop.url, 10);
    await fillBaskets(shop.url, ['idem-1'], product, 3);
    const auth = await asUser('idem-1');
    const send = (holder = approvedCard.holder) =>
      call(`${shop.url}/api/v1/payments`, 'POST', { user_id: 'idem-1', card: { ...approvedCard, holder } }, { 'idempotency-key': 'checkout-42', ...auth });
    const answers = await Promise.all(Array.from({ length: 20 }, () => send()));
    const created = answers.filter((a) => a.status === 201);
    const inProgress = answers.filter((a) => a.status === 409 && a.body.error.code === 'payment_in_progress');
    expect(created.length + inProgress.length, JSON.stringify(answers.map((a) => a.status))).toBe(20);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    const again = await send();
    expect(again).toMatchObject({ status: 201, body: { id: created[0]!.body.id } });
    expect(await send('Someone Else')).toMatchObject({ status: 422, body: { error: { code: 'idempotency_key_reused' } } });

    await eventually(async () => (await stockOf(shop.url, product)) === 7, 20_000);
    const [payments] = await shop.db.query<{ n: number }>("select count(*)::int as n from payments where user_id = 'idem-1'");
    const [events] = await shop.db.query<{ n: number }>("select count(*)::int as n from outbox where topic = 'payment-completed'");
    await recordFigures('idempotency', {
      guarantee: 'Idempotent payments: the same Idempotency-Key charges once, also under concurrent retries; another body with it is a 422',
      test: 'test/reliability/idempotency.test.ts',
      sent: events!.n, delivered: (10 - (await stockOf(shop.url, product))) / 3, duplicates: 0,
      doubled: Math.max(0, payments!.n - 1), lost: Math.max(0, 1 - payments!.n),
      note: `21 requests with one key (20 at once): ${created.length} answered 201 with the same payment, ${inProgress.length} 409 payment_in_progress; 1 payment, ${events!.n} event, stock 10 → 7`,
    });
    expect(payments!.n).toBe(1);
    expect(events!.n).toBe(1);
  }, 60_000);
});
