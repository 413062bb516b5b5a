import { onEveryStoreAdapter } from '../../../test/support/sql-adapters.ts';
import { paymentProviderContract } from '../../../test/contracts/payment-provider.contract.ts';
import { memoryTestProvider } from './memory-provider.ts';
import { sqlTestProvider } from './sql-provider.ts';

await onEveryStoreAdapter(paymentProviderContract, memoryTestProvider, sqlTestProvider);
