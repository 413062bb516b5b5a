import type { Crash } from '../platform/failpoints.ts';
import type { NewId } from '../platform/ids.ts';
import type { BasketStore } from './basket/store.ts';
import type { PaymentProvider } from './payment/provider.ts';
import type { PaymentStore } from './payment/store.ts';
import type { ProductStore } from './product/store.ts';

/** Everything a handler may depend on; each handler picks what it needs. */
export interface Deps {
  products: ProductStore;
  baskets: BasketStore;
  payments: PaymentStore;
  provider: PaymentProvider;
  /** The current time as an ISO 8601 string. */
  now: () => string;
  newId: NewId;
  /** The shop's ISO 4217 currency; every price is in it. */
  currency: string;
  /** Kills the process at an armed failpoint (tests of crashes); a no-op otherwise. */
  crash: Crash;
}
