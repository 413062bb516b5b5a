import { memoryOutbox } from '../../platform/events/memory-outbox.ts';
import { sqlOutbox } from '../../platform/events/sql-outbox.ts';
import { onEveryStoreAdapter } from '../../test/support/sql-adapters.ts';
import { memoryProductStore } from '../../test/support/memory-product-store.ts';
import { sqlProductStore } from './sql-store.ts';
import { productStoreContract } from '../../test/contracts/product-store.contract.ts';

await onEveryStoreAdapter(
  productStoreContract,
  () => {
    const outbox = memoryOutbox();
    return { ...memoryProductStore(outbox), outbox };
  },
  (sql) => ({ ...sqlProductStore(sql), outbox: sqlOutbox(sql) }),
);
