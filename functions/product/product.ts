import type { Money } from '../../platform/money.ts';

/** A catalog product, as the REST API shows it. */
export interface Product {
  id: string;
  name: string;
  description: string;
  category: string;
  price: Money;
  stock: number;
  created_at: string;
  updated_at: string;
}

/** The fields of a product an update may change. */
export type ProductPatch = Partial<Pick<Product, 'name' | 'description' | 'category' | 'price'>>;

/** A page of products and the number matching the filter. */
export interface ProductPage {
  products: Product[];
  total: number;
}

/** One product and the units an order takes of it. */
export interface StockLine {
  product_id: string;
  quantity: number;
}

/** The first line of an order that stock cannot serve. */
export interface StockShortage {
  product_id: string;
  available: number;
  requested: number;
}

/** Outcome of applying an order's stock decrement once per event. */
export type OrderStockResult =
  | { outcome: 'applied' }
  | { outcome: 'duplicate' }
  | ({ outcome: 'rejected' } & StockShortage);
