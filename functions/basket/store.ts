/** One product in a basket and how many units. */
export interface BasketLine {
  product_id: string;
  quantity: number;
}

/** Most units of one product a basket may hold. */
export const MAX_LINE_QUANTITY = 999;

/** Most products (lines) a basket may hold: a paid order, and its event, is never larger. */
export const MAX_BASKET_LINES = 100;

/**
 * An addition a basket refused, changing nothing: it would have held more units of the product than
 * its stock (`stock`) or than MAX_LINE_QUANTITY (`line`), or more products than MAX_BASKET_LINES
 * (`lines`); with the units of the product it holds.
 */
export interface AddRefused {
  refused: 'stock' | 'line' | 'lines';
  inBasket: number;
}

/** How long the Idempotency-Key of a basket change is remembered (a day, as Stripe); a retry later applies again. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/**
 * The basket store port: in memory by default, Redis for real. Every change is atomic.
 *
 * `add` and `remove` take an optional Idempotency-Key, scoped to the user, recorded in the same
 * atomic change as the lines it produced and remembered for IDEMPOTENCY_TTL_MS. A change whose key
 * is recorded for the same request (keyed-change.ts) changes nothing and answers the lines as the
 * first change left them (the first result, whatever changed since); for another request it throws
 * `idempotency_key_reused` (422). A refused add records nothing: its retry is decided again.
 */
export interface BasketStore {
  /** The user's lines in the order they were first added; empty when there is no basket. */
  get(userId: string): Promise<BasketLine[]>;
  /**
   * Adds units to a line (creating it); returns the new lines. Given the product's `stock`, the
   * addition is bounded (see {@link AddRefused}) in the same atomic change: concurrent additions
   * cannot pass the bounds together.
   */
  add(
    userId: string,
    productId: string,
    quantity: number,
    stock?: number,
    idempotencyKey?: string,
  ): Promise<BasketLine[] | AddRefused>;
  /** Removes units from a line, or the whole line when `quantity` is undefined; returns the new lines. */
  remove(userId: string, productId: string, quantity?: number, idempotencyKey?: string): Promise<BasketLine[]>;
  clear(userId: string): Promise<void>;
  /**
   * Takes what a payment paid for out of the user's basket, once per payment event: the paid
   * units leave their lines, units added since stay. Answers false (and changes nothing) when
   * `eventId` was already applied.
   */
  checkout(userId: string, eventId: string, paid: readonly BasketLine[]): Promise<boolean>;
}
