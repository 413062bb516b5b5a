import type { OutboxEvent } from '../../platform/events/outbox.ts';
import type { OrderStockResult, Product, ProductPage, ProductPatch, StockLine, StockShortage } from './product.ts';

/** The product store port: PGlite or PostgreSQL (SQL), or memory for fast tests. */
export interface ProductStore {
  list(query: { category?: string; limit: number; offset: number }): Promise<ProductPage>;
  get(id: string): Promise<Product | undefined>;
  getMany(ids: string[]): Promise<Product[]>;
  /** Inserts new products; ids already present are left untouched (seeding is idempotent). */
  insert(products: Product[]): Promise<void>;
  /** Applies a patch; undefined when the product does not exist. */
  update(id: string, patch: ProductPatch, now: string): Promise<Product | undefined>;
  delete(id: string): Promise<boolean>;
  /** Adds `delta` to the stock; throws `not_found`, or `insufficient_stock` if it would go below zero. */
  adjustStock(id: string, delta: number, now: string): Promise<Product>;
  /**
   * Takes every line of an order from stock, all or nothing, at most once per (consumer, event id):
   * a repeated event id is a `duplicate` and changes nothing. When stock cannot serve it, nothing
   * is taken and the event built by `rejected` is queued in the outbox in the same write.
   */
  takeOrderStock(
    consumer: string,
    eventId: string,
    lines: StockLine[],
    now: string,
    rejected: (s: StockShortage) => OutboxEvent,
  ): Promise<OrderStockResult>;
}
