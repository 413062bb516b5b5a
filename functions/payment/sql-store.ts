import { notFound } from '../../platform/errors.ts';
import { changeWithEvents, enqueue, sqlOutbox } from '../../platform/events/sql-outbox.ts';
import type { Sql, SqlQuery } from '../../platform/sql/sql.ts';
import type { LineItem } from '../basket/price.ts';
import type { Payment, PaymentStatus } from './payment.ts';
import { statusAfterRefund, toReserve } from './refund-rules.ts';
import type { PaymentStore, RefundRecord } from './store.ts';

interface Row {
  id: string;
  order_id: string;
  user_id: string;
  status: PaymentStatus;
  amount_minor: number | string;
  currency: string;
  refunded_minor: number | string;
  items: LineItem[] | string;
  card_brand: string;
  card_last4: string;
  failure_reason: string;
  refund_reason: string;
  created_at: Date;
  request_hash: string | null;
}

interface RefundRow {
  id: string;
  payment_id: string;
  amount_minor: number | string;
  currency: string;
  status: RefundRecord['status'];
  reason: string;
  failure_reason: string;
  request_hash: string;
  created_at: Date;
}

const toPayment = (r: Row): Payment => ({
  id: r.id,
  order_id: r.order_id,
  user_id: r.user_id,
  status: r.status,
  amount: { amount_minor: Number(r.amount_minor), currency: r.currency },
  items: typeof r.items === 'string' ? JSON.parse(r.items) : r.items,
  card: { brand: r.card_brand, last4: r.card_last4 },
  refunded: { amount_minor: Number(r.refunded_minor), currency: r.currency },
  created_at: new Date(r.created_at).toISOString(),
  failure_reason: r.failure_reason,
  refund_reason: r.refund_reason,
});

const toRefund = (r: RefundRow): RefundRecord => ({
  id: r.id,
  payment_id: r.payment_id,
  amount: { amount_minor: Number(r.amount_minor), currency: r.currency },
  status: r.status,
  reason: r.reason,
  failure_reason: r.failure_reason,
  request_hash: r.request_hash,
  created_at: new Date(r.created_at).toISOString(),
});

const refundOf = async (q: SqlQuery, id: string, lock = '') =>
  (await q.query<RefundRow>(`select * from refunds where id = $1 ${lock}`, [id])).map(toRefund)[0];

/** The payment store and its outbox on SQL (PGlite or PostgreSQL). */
export function sqlPaymentStore(sql: Sql): PaymentStore {
  const byKey = async (q: SqlQuery, userId: string, key: string) => {
    const [row] = await q.query<Row>('select * from payments where user_id = $1 and idempotency_key = $2', [
      userId,
      key,
    ]);
    return row && { payment: toPayment(row), requestHash: row.request_hash ?? '' };
  };
  const get = async (q: SqlQuery, id: string, lock = '') =>
    (await q.query<Row>(`select * from payments where id = $1 ${lock}`, [id])).map(toPayment)[0];
  return {
    get: (id) => get(sql, id),
    findByKey: (userId, key) => byKey(sql, userId, key),
    async begin(p, key) {
      const inserted = await sql.query(
        `insert into payments (id, order_id, user_id, status, amount_minor, currency, items, card_brand, card_last4,
           idempotency_key, request_hash, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
         on conflict (user_id, idempotency_key) where idempotency_key is not null do nothing returning id`,
        [
          p.id,
          p.order_id,
          p.user_id,
          p.status,
          p.amount.amount_minor,
          p.amount.currency,
          JSON.stringify(p.items),
          p.card.brand,
          p.card.last4,
          key?.key ?? null,
          key?.requestHash ?? null,
          p.created_at,
        ],
      );
      return inserted.length ? undefined : byKey(sql, p.user_id, key!.key);
    },
    async finish(p, events) {
      const [row] = await changeWithEvents<Row>(
        sql,
        `update payments set status = $2, failure_reason = $3, updated_at = now()
           where id = $1 and status = 'pending' returning *`,
        [p.id, p.status, p.failure_reason],
        events,
      );
      return row ? toPayment(row) : ((await get(sql, p.id)) ?? p);
    },
    async stalePayments(before, limit) {
      const rows = await sql.query<Row>(
        `select * from payments where status = 'pending' and created_at < $1 order by created_at limit $2`,
        [before, limit],
      );
      return rows.map(toPayment);
    },
    reserveRefund: (r) =>
      sql.transaction(async (tx) => {
        const payment = await get(tx, r.paymentId, 'for update');
        if (!payment) throw notFound('payment', r.paymentId);
        // Under the payment's lock: a retry of the same id (an admin's key, the saga's event) finds it.
        const existing = await refundOf(tx, r.id);
        if (existing) return existing;
        const [{ reserved }] = (await tx.query<{ reserved: number | string }>(
          `select coalesce(sum(amount_minor), 0) as reserved from refunds where payment_id = $1 and status = 'pending'`,
          [r.paymentId],
        )) as [{ reserved: number | string }];
        const amount = toReserve(payment, Number(reserved), r.amountMinor, r.upTo);
        if (amount === 0) return undefined;
        const [row] = await tx.query<RefundRow>(
          `insert into refunds (id, payment_id, amount_minor, currency, status, reason, request_hash, created_at, updated_at)
           values ($1, $2, $3, $4, 'pending', $5, $6, $7, $7) returning *`,
          [r.id, r.paymentId, amount, payment.amount.currency, r.reason, r.requestHash ?? '', r.now],
        );
        return toRefund(row!);
      }),
    settleRefund: (id, outcome, event, now) =>
      sql.transaction(async (tx) => {
        const found = await refundOf(tx, id);
        if (!found) throw notFound('refund', id);
        // The payment's lock first, as reserveRefund takes it: no deadlock between the two.
        const payment = (await get(tx, found.payment_id, 'for update'))!;
        const refund = (await refundOf(tx, id, 'for update'))!;
        if (refund.status !== 'pending') return { payment, refund };
        if (!outcome.refunded) {
          const [row] = await tx.query<RefundRow>(
            `update refunds set status = 'failed', failure_reason = $2, updated_at = $3 where id = $1 returning *`,
            [id, outcome.reason, now],
          );
          return { payment, refund: toRefund(row!) };
        }
        const [updated] = await tx.query<Row>(
          `update payments set status = $2, refunded_minor = refunded_minor + $3, refund_reason = $4, updated_at = $5
             where id = $1 returning *`,
          [
            payment.id,
            statusAfterRefund(payment, refund.amount.amount_minor),
            refund.amount.amount_minor,
            refund.reason,
            now,
          ],
        );
        const [settled] = await tx.query<RefundRow>(
          `update refunds set status = 'succeeded', updated_at = $2 where id = $1 returning *`,
          [id, now],
        );
        const after = { payment: toPayment(updated!), refund: toRefund(settled!) };
        await enqueue(tx, [event(after.payment, after.refund)]);
        return after;
      }),
    getRefund: (id) => refundOf(sql, id),
    async refundsOf(paymentId) {
      const rows = await sql.query<RefundRow>('select * from refunds where payment_id = $1 order by created_at, id', [
        paymentId,
      ]);
      return rows.map(toRefund);
    },
    async staleRefunds(before, limit) {
      const rows = await sql.query<RefundRow>(
        `select * from refunds where status = 'pending' and created_at < $1 order by created_at limit $2`,
        [before, limit],
      );
      return rows.map(toRefund);
    },
    // One snapshot of both tables: a refund settled between two reads would look like a difference.
    records: () =>
      sql.transaction(async (tx) => {
        await tx.query('set transaction isolation level repeatable read');
        const payments = await tx.query<Row>('select * from payments order by created_at, id');
        const refunds = await tx.query<RefundRow>('select * from refunds order by created_at, id');
        return { payments: payments.map(toPayment), refunds: refunds.map(toRefund) };
      }),
    ...sqlOutbox(sql),
  };
}
