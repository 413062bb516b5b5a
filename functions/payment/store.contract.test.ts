import { usePglite } from '../../platform/sql/test-pglite.ts';
import { usePostgres } from '../../platform/sql/test-postgres.ts';
import { requireInfra } from '../../test/infra.ts';
import { memoryPaymentStore } from './memory-store.ts';
import { sqlPaymentStore } from './sql-store.ts';
import { paymentStoreContract } from './store.contract.ts';

paymentStoreContract('memory', async () => memoryPaymentStore());

const pglite = usePglite();
paymentStoreContract('PGlite', async () => sqlPaymentStore(await pglite.fresh()));

const hasPostgres = await requireInfra('postgres');
const postgres = usePostgres(hasPostgres);
paymentStoreContract('PostgreSQL', async () => sqlPaymentStore(await postgres.fresh()), hasPostgres);
