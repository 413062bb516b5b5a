import { describe, expect, it } from 'vitest';
import { testLog } from '../../test/support/test-log.ts';
import { asAdmin } from '../../test/support/function-app.ts';
import { card, checkoutApp } from '../../test/support/test-checkout.ts';
import { startPaymentRecovery } from './payment-recovery.ts';
import type { PaymentProvider } from './provider.ts';

/** A checkout app on a clock the test moves, with a recovery that takes over after 30 s. */
async function shop() {
  let clock = Date.parse('2026-01-15T10:00:00.000Z');
  const a = await checkoutApp({ now: () => new Date(clock).toISOString() });
  const recovery = startPaymentRecovery(a.deps, testLog, { intervalMs: 3_600_000, afterMs: 30_000 });
  const later = (ms: number) => (clock += ms);
  return { a, recovery, later };
}

/** A provider that does what it is asked and then loses the answer while `cut()` says so. */
function cutAfter(provider: PaymentProvider, cut: () => boolean): PaymentProvider {
  const lose = async <T>(answer: Promise<T>) => {
    const a = await answer;
    if (cut()) throw new Error('connection reset before the answer');
    return a;
  };
  return { ...provider, charge: (r) => lose(provider.charge(r)), refund: (r) => lose(provider.refund(r)) };
}

const pay = (a: Awaited<ReturnType<typeof shop>>['a'], key: string) =>
  a.request('POST', '/api/v1/payments', { user_id: 'alice', card: card() }, { 'idempotency-key': key });

describe('payment recovery', () => {
  it('completes a payment charged at the provider whose answer was lost, and the retry with its key gets it', async () => {
    const { a, recovery, later } = await shop();
    const provider = a.deps.provider;
    let cut = true;
    a.deps.provider = cutAfter(provider, () => cut);
    const lost = await pay(a, 'k1');
    expect([lost.status, lost.body.error.code]).toEqual([503, 'unavailable']);
    cut = false;
    expect((await pay(a, 'k1')).body.error.code).toBe('payment_in_progress');
    // Not yet: its process may still be at it.
    later(29_000);
    expect(await recovery.pass()).toBe(0);
    later(2_000);
    expect(await recovery.pass()).toBe(1);
    const retry = await pay(a, 'k1');
    expect(retry).toMatchObject({ status: 201, body: { status: 'completed', amount: { amount_minor: 2500 } } });
    const events = (await a.deps.payments.pending(10)).filter((e) => e.topic === 'payment-completed');
    expect(events).toHaveLength(1);
    expect((await provider.ledger()).map((e) => [e.kind, e.outcome])).toEqual([['charge', 'approved']]);
    await recovery.stop();
  });

  it('fails a payment the provider never charged and voids its key, so a late charge cannot land', async () => {
    const { a, recovery, later } = await shop();
    const provider = a.deps.provider;
    let hold!: () => void;
    let reached!: () => void;
    const held = new Promise<void>((r) => (hold = r));
    const asked = new Promise<void>((r) => (reached = r));
    // The charge does not reach the provider before the recovery: its process stalled (or died).
    a.deps.provider = {
      ...provider,
      charge: async (r) => {
        reached();
        await held;
        return provider.charge(r);
      },
    };
    const stalled = pay(a, 'k2');
    await asked;
    later(31_000);
    expect(await recovery.pass()).toBe(1);
    hold();
    expect(await stalled).toMatchObject({ status: 402, body: { status: 'failed', failure_reason: 'voided' } });
    expect(await pay(a, 'k2')).toMatchObject({ status: 402, body: { status: 'failed' } });
    expect((await provider.ledger()).map((e) => [e.kind, e.outcome])).toEqual([['charge', 'voided']]);
    expect(await a.deps.payments.pending(10)).toEqual([]);
    await recovery.stop();
  });

  it('pays a refund left reserved once at the provider, whether or not the provider was asked before', async () => {
    const { a, recovery, later } = await shop();
    const paid = await pay(a, 'k3');
    const provider = a.deps.provider;
    let cut = true;
    a.deps.provider = cutAfter(provider, () => cut);
    const lost = await a.request('POST', `/api/v1/payments/${paid.body.id}/refund`, { amount_minor: 1000 }, asAdmin);
    expect(lost.status).toBe(503);
    cut = false;
    // A second refund, reserved and never sent (its process died before asking).
    await a.deps.payments.reserveRefund({
      id: 'r-never-asked',
      paymentId: paid.body.id,
      amountMinor: 500,
      reason: 'crashed',
      now: a.deps.now(),
    });
    later(31_000);
    expect(await recovery.pass()).toBe(2);
    expect(await recovery.pass()).toBe(0);
    expect((await a.request('GET', `/api/v1/payments/${paid.body.id}`)).body).toMatchObject({
      status: 'partially_refunded',
      refunded: { amount_minor: 1500 },
    });
    const refunds = (await provider.ledger()).filter((e) => e.kind === 'refund');
    expect(refunds.map((e) => e.amount.amount_minor).sort((x, y) => x - y)).toEqual([500, 1000]);
    await recovery.stop();
  });

  it('goes on past a refund it cannot settle: the ones behind it are settled', async () => {
    const { a, recovery, later } = await shop();
    const paid = await pay(a, 'k4');
    const reserve = (id: string, amountMinor: number) =>
      a.deps.payments.reserveRefund({ id, paymentId: paid.body.id, amountMinor, reason: 'crashed', now: a.deps.now() });
    await reserve('r-stuck', 500);
    later(1);
    await reserve('r-behind', 700);
    const provider = a.deps.provider;
    a.deps.provider = {
      ...provider,
      refund: (r) => (r.key === 'r-stuck' ? Promise.reject(new Error('provider error')) : provider.refund(r)),
    };
    later(31_000);
    expect(await recovery.pass()).toBe(1);
    expect(await a.deps.payments.getRefund('r-stuck')).toMatchObject({ status: 'pending' });
    expect(await a.deps.payments.getRefund('r-behind')).toMatchObject({ status: 'succeeded' });
    await recovery.stop();
  });
});
