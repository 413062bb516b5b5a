import { onEveryStoreAdapter } from '../../platform/sql/test-sql-adapters.ts';
import { memoryProductStore } from './memory-store.ts';
import { sqlProductStore } from './sql-store.ts';
import { productStoreContract } from './store.contract.ts';

await onEveryStoreAdapter(productStoreContract, memoryProductStore, sqlProductStore);
