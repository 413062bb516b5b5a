import type { Payment } from './payment.ts';
import type { LedgerEntry } from './provider.ts';
import type { RefundRecord } from './store.ts';

/** How the provider's ledger and the shop's records disagree about one operation. */
interface Difference {
  /**
   * `charge_not_recorded`: captured at the provider, not a paid payment at the shop;
   * `payment_not_charged`: paid at the shop, not captured at the provider; `refund_not_recorded`,
   * `refund_not_at_provider`: the same for a refund; `amount_differs`: both have it, for other
   * amounts; `refunded_total_differs`: a payment's refunded total is not the sum of its refunds;
   * `pending_too_long`: a payment or refund the recovery has not settled within the bound.
   */
  kind:
    | 'charge_not_recorded'
    | 'payment_not_charged'
    | 'refund_not_recorded'
    | 'refund_not_at_provider'
    | 'amount_differs'
    | 'refunded_total_differs'
    | 'pending_too_long';
  /** The operation's idempotency key: a payment's id (its charge) or a refund's id. */
  key: string;
  payment_id: string;
  provider_amount_minor: number;
  shop_amount_minor: number;
  detail: string;
}

/** Money on one side, in the shop's currency. */
interface Totals {
  currency: string;
  captured_minor: number;
  refunded_minor: number;
  charges: number;
  refunds: number;
  /** Operations not settled yet (the shop's side; the provider has none). */
  pending: number;
}

/** The answer of a reconciliation. */
export interface Reconciliation {
  differences: Difference[];
  provider: Totals;
  shop: Totals;
  checked_at: string;
}

const captured = (p: Payment) =>
  p.status === 'completed' || p.status === 'partially_refunded' || p.status === 'refunded';
const sum = (xs: { amount: { amount_minor: number } }[]) => xs.reduce((n, x) => n + x.amount.amount_minor, 0);

/**
 * Compares the provider's ledger with the shop's payments and refunds, operation by operation
 * (by idempotency key), and checks each payment's refunded total; a payment or refund pending
 * since before `pendingBefore` is a difference too (the recovery should have settled it).
 */
export function reconcile(
  ledger: LedgerEntry[],
  shop: { payments: Payment[]; refunds: RefundRecord[] },
  currency: string,
  pendingBefore: string,
  now: string,
): Reconciliation {
  const differences: Difference[] = [];
  const differ = (d: Omit<Difference, 'provider_amount_minor' | 'shop_amount_minor'>, atProvider = 0, atShop = 0) =>
    differences.push({ ...d, provider_amount_minor: atProvider, shop_amount_minor: atShop });
  const charges = new Map(ledger.filter((e) => e.kind === 'charge' && e.outcome === 'approved').map((e) => [e.key, e]));
  const paidBack = new Map(ledger.filter((e) => e.kind === 'refund').map((e) => [e.key, e]));
  const payments = new Map(shop.payments.map((p) => [p.id, p]));
  const refunds = new Map(shop.refunds.map((r) => [r.id, r]));
  const settledOf = new Map<string, number>();
  for (const r of shop.refunds)
    if (r.status === 'succeeded')
      settledOf.set(r.payment_id, (settledOf.get(r.payment_id) ?? 0) + r.amount.amount_minor);
  const same = (a: { amount_minor: number; currency: string }, b: { amount_minor: number; currency: string }) =>
    a.amount_minor === b.amount_minor && a.currency === b.currency;
  const young = (x: { status: string; created_at: string }) => x.status === 'pending' && x.created_at >= pendingBefore;

  for (const c of charges.values()) {
    const p = payments.get(c.key);
    if (p && young(p)) continue;
    if (!p || !captured(p))
      differ(
        {
          kind: 'charge_not_recorded',
          key: c.key,
          payment_id: c.key,
          detail: p ? `the shop has it ${p.status}` : 'the shop has no such payment',
        },
        c.amount.amount_minor,
        0,
      );
    else if (!same(p.amount, c.amount))
      differ(
        { kind: 'amount_differs', key: c.key, payment_id: p.id, detail: 'charge' },
        c.amount.amount_minor,
        p.amount.amount_minor,
      );
  }
  for (const p of shop.payments) {
    if (captured(p) && !charges.has(p.id))
      differ(
        { kind: 'payment_not_charged', key: p.id, payment_id: p.id, detail: `the shop has it ${p.status}` },
        0,
        p.amount.amount_minor,
      );
    const settled = settledOf.get(p.id) ?? 0;
    if (settled !== p.refunded.amount_minor)
      differ(
        { kind: 'refunded_total_differs', key: p.id, payment_id: p.id, detail: `its refunds sum to ${settled}` },
        0,
        p.refunded.amount_minor,
      );
  }
  for (const e of paidBack.values()) {
    const r = refunds.get(e.key);
    if (r && young(r)) continue;
    if (r?.status !== 'succeeded')
      differ(
        {
          kind: 'refund_not_recorded',
          key: e.key,
          payment_id: e.charge,
          detail: r ? `the shop has it ${r.status}` : 'the shop has no such refund',
        },
        e.amount.amount_minor,
        0,
      );
    else if (!same(r.amount, e.amount) || r.payment_id !== e.charge)
      differ(
        { kind: 'amount_differs', key: e.key, payment_id: r.payment_id, detail: 'refund' },
        e.amount.amount_minor,
        r.amount.amount_minor,
      );
  }
  for (const r of shop.refunds)
    if (r.status === 'succeeded' && !paidBack.has(r.id))
      differ(
        { kind: 'refund_not_at_provider', key: r.id, payment_id: r.payment_id, detail: 'the shop has it succeeded' },
        0,
        r.amount.amount_minor,
      );
  for (const x of [...shop.payments, ...shop.refunds])
    if (x.status === 'pending' && x.created_at < pendingBefore)
      differ(
        {
          kind: 'pending_too_long',
          key: x.id,
          payment_id: 'payment_id' in x ? x.payment_id : x.id,
          detail: `pending since ${x.created_at}`,
        },
        0,
        x.amount.amount_minor,
      );

  const settledRefunds = shop.refunds.filter((r) => r.status === 'succeeded');
  const paid = shop.payments.filter(captured);
  return {
    differences,
    provider: {
      currency,
      captured_minor: sum([...charges.values()]),
      refunded_minor: sum([...paidBack.values()]),
      charges: charges.size,
      refunds: paidBack.size,
      pending: 0,
    },
    shop: {
      currency,
      captured_minor: sum(paid),
      refunded_minor: sum(settledRefunds),
      charges: paid.length,
      refunds: settledRefunds.length,
      pending: [...shop.payments, ...shop.refunds].filter((x) => x.status === 'pending').length,
    },
    checked_at: now,
  };
}
