import { onEveryStoreAdapter } from '../../test/support/sql-adapters.ts';
import { memoryPaymentStore } from '../../test/support/memory-payment-store.ts';
import { sqlPaymentStore } from './sql-store.ts';
import { paymentStoreContract } from '../../test/contracts/payment-store.contract.ts';

await onEveryStoreAdapter(paymentStoreContract, memoryPaymentStore, sqlPaymentStore);
