import { onEveryStoreAdapter } from '../../platform/sql/test-sql-adapters.ts';
import { memoryPaymentStore } from './memory-store.ts';
import { sqlPaymentStore } from './sql-store.ts';
import { paymentStoreContract } from './store.contract.ts';

await onEveryStoreAdapter(paymentStoreContract, memoryPaymentStore, sqlPaymentStore);
