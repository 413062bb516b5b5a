import { memoryOutbox } from '../../platform/events/memory-outbox.ts';
import type { Sql } from '../../platform/sql/sql.ts';
import type { Deps } from '../../functions/deps.ts';
import { memoryPaymentStore } from './memory-payment-store.ts';
import { sqlPaymentStore } from '../../functions/payment/sql-store.ts';
import { memoryTestProvider } from '../../functions/payment/test-provider/memory-provider.ts';
import { sqlTestProvider } from '../../functions/payment/test-provider/sql-provider.ts';
import { memoryProductStore } from './memory-product-store.ts';
import { sqlProductStore } from '../../functions/product/sql-store.ts';
import { onEveryStoreAdapter } from './sql-adapters.ts';

/** The stores of money: products, payments and the provider's ledger, on one adapter. */
export type MoneyStores = Pick<Deps, 'products' | 'payments' | 'provider'>;

/**
 * Runs `suite` on money stores in memory, on PGlite and on PostgreSQL (when reachable): what it
 * proves of the shop's payments and the provider's ledger holds on each.
 */
export const onEveryMoneyAdapter = (
  suite: (adapter: string, make: () => Promise<MoneyStores>, enabled?: boolean) => void,
): Promise<void> =>
  onEveryStoreAdapter(
    suite,
    (): MoneyStores => {
      const outbox = memoryOutbox();
      return {
        products: memoryProductStore(outbox),
        payments: memoryPaymentStore(outbox),
        provider: memoryTestProvider(),
      };
    },
    (sql: Sql): MoneyStores => ({
      products: sqlProductStore(sql),
      payments: sqlPaymentStore(sql),
      provider: sqlTestProvider(sql),
    }),
  );
