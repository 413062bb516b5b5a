import fc from 'fast-check';
import type { CloudEvent } from '../../platform/define.ts';
import { CLOCK_SKEW_MS, REPLAY_WINDOW_MS } from '../../platform/events/replay-window.ts';
import { eventSigner, type EventSigner } from '../../platform/events/signature.ts';

/** One hostile delivery: what it is, and the body as sent (JSON text). */
export interface Hostile {
  kind: string;
  body: string;
}

/** A hostile delivery that a failing property prints short (10,000 lines would flood the report). */
const described = (h: Hostile): Hostile =>
  Object.assign(h, {
    [fc.toStringMethod]: () =>
      `${h.kind}: ${h.body.length > 300 ? `${h.body.slice(0, 300)}… (${h.body.length} bytes)` : h.body}`,
  });

type Line = {
  product_id: string;
  name: string;
  unit_price: { amount_minor: number; currency: string };
  quantity: number;
  line_total: { amount_minor: number; currency: string };
};

const line = (product_id: string, quantity: number, currency = 'USD', unit = 100): Line => ({
  product_id,
  name: product_id,
  unit_price: { amount_minor: unit, currency },
  quantity,
  line_total: { amount_minor: unit * quantity, currency },
});

const DAY_MS = 24 * 3600 * 1000;

/** The time `ms` after `base` was written (before it when negative). */
const shifted = (base: CloudEvent, ms: number) => new Date(Date.parse(base.time) + ms).toISOString();

/** `base` with its data's items replaced (the total follows them). */
const withItems = (base: CloudEvent, items: Line[], id: string): CloudEvent => {
  const amount = items.reduce((n, l) => n + l.line_total.amount_minor, 0);
  const data = base.data as Record<string, unknown>;
  return {
    ...base,
    id,
    data: { ...data, amount: { amount_minor: amount, currency: items[0]?.line_total.currency ?? 'USD' }, items },
  };
};

/**
 * Hostile `payment-completed` deliveries built from a valid event `base` (whose data is the
 * protobuf JSON of a PaymentCompleted) over real `products`: a wrong type or specversion,
 * negative, zero or huge quantities, 10,000 lines, an unknown product, a foreign currency, the
 * id of an event already applied (`appliedId`) carrying other items, truncated JSON, a valid
 * order written before the replay window, dated beyond the clock skew or with no time (`base`
 * is written at the shop's present), all signed with the shop's key (`signer`: as if a holder
 * of the key went wrong, or a signed event captured long ago); and a valid order for real
 * products without a signature or signed with another key. None of them may take stock.
 */
export function hostilePaymentCompleted(
  base: CloudEvent,
  products: string[],
  appliedId: string,
  signer: EventSigner,
): fc.Arbitrary<Hostile> {
  const id = fc.uuid();
  const product = fc.constantFrom(...products);
  const json =
    (kind: string) =>
    (e: CloudEvent): Hostile =>
      described({ kind, body: JSON.stringify(signer.sign(e)) });
  const stranger = eventSigner('a-key-that-is-not-the-shops-0123456789');
  const order = fc
    .tuple(id, product, fc.integer({ min: 1, max: 3 }))
    .map(([i, p, q]) => withItems(base, [line(p, q)], i));
  return fc.oneof(
    fc
      .tuple(
        id,
        fc.string().filter((t) => t !== base.type),
      )
      .map(([i, type]) => json('wrong type')({ ...base, id: i, type })),
    fc
      .tuple(id, fc.oneof(fc.constantFrom('0.3', '1', '1.1', '2.0', ''), fc.string()))
      .map(([i, sv]) => json('wrong specversion')({ ...base, id: i, specversion: sv as '1.0' })),
    fc
      .tuple(id, product, fc.integer({ min: -2_147_483_648, max: 0 }))
      .map(([i, p, q]) => json('negative or zero quantity')(withItems(base, [line(p, q)], i))),
    fc
      .tuple(
        id,
        product,
        fc.oneof(
          fc.integer({ min: 1_000, max: 2_147_483_647 }),
          fc.constant(Number.MAX_SAFE_INTEGER),
          fc.constant(1e300),
        ),
      )
      .map(([i, p, q]) => json('huge quantity')(withItems(base, [line(p, q)], i))),
    fc.tuple(id, product).map(([i, p]) =>
      json('10,000 lines')(
        withItems(
          base,
          Array.from({ length: 10_000 }, () => line(p, 1)),
          i,
        ),
      ),
    ),
    fc
      .tuple(
        id,
        fc.stringMatching(/^[a-z][a-z0-9-]{3,30}$/).filter((p) => !products.includes(p)),
        product,
      )
      .map(([i, unknown, p]) => json('unknown product')(withItems(base, [line(p, 1), line(unknown, 1)], i))),
    fc
      .tuple(id, product, fc.constantFrom('EUR', 'GBP', 'JPY', 'usd', 'XXX'))
      .map(([i, p, c]) => json('foreign currency')(withItems(base, [line(p, 1, c)], i))),
    fc
      .tuple(product, fc.integer({ min: 1, max: 5 }))
      .map(([p, q]) => json('an applied event id again')(withItems(base, [line(p, q)], appliedId))),
    fc
      .tuple(order, fc.integer({ min: 1, max: 365 * DAY_MS }))
      .map(([e, ms]) => json('past the replay window')({ ...e, time: shifted(base, -REPLAY_WINDOW_MS - ms) })),
    fc
      // At least an hour past the skew: a test on a real clock delivers it seconds after `base`
      // was written, and an event a few ms past the skew then is within it.
      .tuple(order, fc.integer({ min: 3600_000, max: 365 * DAY_MS }))
      .map(([e, ms]) => json('from the future')({ ...e, time: shifted(base, CLOCK_SKEW_MS + ms) })),
    fc
      .tuple(order, fc.oneof(fc.constant(undefined), fc.constantFrom('', 'yesterday', '2026-01-15'), fc.string()))
      .map(([e, time]) => json('no time or not RFC 3339')({ ...e, time: time as string })),
    order.map((e) => described({ kind: 'unsigned', body: JSON.stringify(e) })),
    order.map((e) => described({ kind: 'signed with another key', body: JSON.stringify(stranger.sign(e)) })),
    fc.tuple(id, fc.nat()).map(([i, cut]) => {
      const text = JSON.stringify(signer.sign({ ...base, id: i }));
      return described({ kind: 'truncated JSON', body: text.slice(0, cut % (text.length - 1)) });
    }),
  );
}
