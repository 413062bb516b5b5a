import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { invalid, ShopError } from '../../platform/errors.ts';
import { keyReused, requestFingerprint } from '../../platform/idempotency.ts';
import { money } from '../../platform/money.ts';
import { bodyWithIdempotencyKey } from '../../platform/rest.ts';
import { idSchema, MAX_AMOUNT_MINOR, optionalIdempotencyKey } from '../../platform/validation.ts';
import { priceBasket } from '../basket/price.ts';
import { brand, expired } from './card.ts';
import type { Payment } from './payment.ts';
import { cardSchema } from './schemas.ts';
import { settleCharge } from './settle-charge.ts';
import type { KeyedPayment } from './store.ts';

type Input = { user_id: string; card: v.InferOutput<typeof cardSchema> };

/** Fingerprint of a request, to tell a retry from a different request reusing its key (no card secrets in it). */
const fingerprint = ({ user_id, card }: Input) =>
  requestFingerprint([user_id, card.holder, card.expiry, card.number.slice(-4)]);

/** The answer to a request whose idempotency key was already used. */
function replay(existing: KeyedPayment, input: Input): Payment {
  if (existing.requestHash !== fingerprint(input)) throw keyReused();
  if (existing.payment.status === 'pending')
    throw new ShopError('payment_in_progress', 'a payment with this Idempotency-Key is in progress; retry shortly');
  return existing.payment;
}

/**
 * Charges a user's basket at current prices and publishes `payment-completed` through the outbox:
 * the payment is recorded pending, the provider charged under the payment's id (its idempotency
 * key), then the payment settled. A crash or a provider that does not answer leaves it pending, and
 * the recovery (payment-recovery.ts) settles it with the provider's answer to that key.
 */
export default defineFunction({
  name: 'process-payment',
  uses: ['baskets', 'products', 'payments', 'provider', 'now', 'newId', 'currency', 'crash'],
  access: 'user',
  publishes: ['payment-completed'],
  input: v.object({
    user_id: idSchema,
    card: cardSchema,
    idempotency_key: optionalIdempotencyKey(
      'The same key returns the same payment and charges once (REST: the Idempotency-Key header).',
    ),
  }),
  restInput: bodyWithIdempotencyKey,
  restStatus: (p: Payment) => (p.status === 'failed' ? 402 : 201),
  handler: (d) => async (input) => {
    const key = input.idempotency_key || undefined;
    const previous = key && (await d.payments.findByKey(input.user_id, key));
    if (previous) return replay(previous, input);
    const now = d.now();
    if (expired(input.card.expiry, new Date(now))) throw invalid('card.expiry', 'the card has expired');

    const lines = await d.baskets.get(input.user_id);
    const products = await d.products.getMany(lines.map((l) => l.product_id));
    const basket = priceBasket(input.user_id, lines, products, d.currency);
    if (basket.items.length === 0) throw new ShopError('basket_empty', `the basket of ${input.user_id} is empty`);
    if (basket.total.amount_minor > MAX_AMOUNT_MINOR)
      throw new ShopError(
        'amount_too_large',
        `the basket's total of ${basket.total.amount_minor} is above the ${MAX_AMOUNT_MINOR} an order may cost; nothing was charged`,
      );
    const stockOf = new Map(products.map((p) => [p.id, p.stock]));
    for (const item of basket.items) {
      const stock = stockOf.get(item.product_id) ?? 0;
      if (stock < item.quantity)
        throw new ShopError(
          'insufficient_stock',
          `only ${stock} of product ${item.product_id} in stock, the basket holds ${item.quantity}`,
        );
    }

    const pending: Payment = {
      id: d.newId(),
      order_id: d.newId(),
      user_id: input.user_id,
      status: 'pending',
      amount: basket.total,
      items: basket.items,
      card: { brand: brand(input.card.number), last4: input.card.number.slice(-4) },
      refunded: money(0, basket.total.currency),
      created_at: now,
      failure_reason: '',
      refund_reason: '',
    };
    const raced = await d.payments.begin(pending, key ? { key, requestHash: fingerprint(input) } : undefined);
    if (raced) return replay(raced, input);

    d.crash('process-payment.after-begin');
    const charge = await d.provider
      .charge({ key: pending.id, amount: pending.amount, card: input.card })
      .catch((cause) => {
        throw new ShopError(
          'unavailable',
          `the payment provider did not answer; payment ${pending.id} stays pending until its answer is known: ${
            key
              ? 'retry with the same Idempotency-Key'
              : `read it (GET /api/v1/payments/${pending.id}); a new request is a new payment`
          }`,
          undefined,
          { cause },
        );
      });
    d.crash('process-payment.after-charge');
    return settleCharge(d, pending, charge);
  },
});
