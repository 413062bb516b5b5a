import { notFound } from '../../platform/errors.ts';
import { changeWithEvents, enqueue, sqlOutbox } from '../../platform/events/sql-outbox.ts';
import { markProcessed } from '../../platform/sql/processed-events.ts';
import type { Sql, SqlQuery, SqlTx } from '../../platform/sql/sql.ts';
import type { LineItem } from '../basket/price.ts';
import type { Payment, PaymentStatus } from './payment.ts';
import { refundable, statusAfterRefund } from './refund-rules.ts';
import type { PaymentStore, Refund, RefundEvent } from './store.ts';

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

/**
 * Records a refund on the locked payment row and queues its event. With `clamp`, refunds what is
 * left when that is less, and nothing (no event) when the payment is not refundable.
 */
async function refundIn(tx: SqlTx, r: Refund, event: RefundEvent, clamp: boolean): Promise<Payment> {
  const [row] = await tx.query<Row>('select * from payments where id = $1 for update', [r.id]);
  if (!row) throw notFound('payment', r.id);
  const before = toPayment(row);
  const amount = clamp ? refundable(before, r.amountMinor) : r.amountMinor;
  if (amount === 0) return before;
  const status = statusAfterRefund(before, amount);
  const [updated] = await tx.query<Row>(
    'update payments set status = $2, refunded_minor = refunded_minor + $3, refund_reason = $4, updated_at = $5 where id = $1 returning *',
    [r.id, status, amount, r.reason, r.now],
  );
  const after = toPayment(updated!);
  await enqueue(tx, [event(after, amount)]);
  return after;
}

/** The payment store and its outbox on SQL (PGlite or PostgreSQL). */
export function sqlPaymentStore(sql: Sql): PaymentStore {
  const byKey = async (q: SqlQuery, userId: string, key: string) => {
    const [row] = await q.query<Row>('select * from payments where user_id = $1 and idempotency_key = $2', [
      userId,
      key,
    ]);
    return row && { payment: toPayment(row), requestHash: row.request_hash ?? '' };
  };
  return {
    async get(id) {
      const [row] = await sql.query<Row>('select * from payments where id = $1', [id]);
      return row && toPayment(row);
    },
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
    finish: (p, events) =>
      changeWithEvents(
        sql,
        'update payments set status = $2, failure_reason = $3, updated_at = now() where id = $1',
        [p.id, p.status, p.failure_reason],
        events,
      ),
    refund: (r, event) => sql.transaction((tx) => refundIn(tx, r, event, false)),
    refundOnce: (consumer, eventId, r, event) =>
      sql.transaction(async (tx) => {
        return (await markProcessed(tx, consumer, eventId)) ? refundIn(tx, r, event, true) : undefined;
      }),
    ...sqlOutbox(sql),
  };
}
