import { usePglite } from '../../platform/sql/test-pglite.ts';
import { memoryPaymentStore } from './memory-store.ts';
import { sqlPaymentStore } from './sql-store.ts';
import { paymentStoreContract } from './store.contract.ts';

paymentStoreContract('memory', async () => memoryPaymentStore());

const pglite = usePglite();
paymentStoreContract('PGlite', async () => sqlPaymentStore(await pglite.fresh()));
