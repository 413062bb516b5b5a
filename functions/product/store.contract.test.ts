import { usePglite } from '../../platform/sql/test-pglite.ts';
import { usePostgres } from '../../platform/sql/test-postgres.ts';
import { requireInfra } from '../../test/infra.ts';
import { memoryProductStore } from './memory-store.ts';
import { sqlProductStore } from './sql-store.ts';
import { productStoreContract } from './store.contract.ts';

productStoreContract('memory', async () => memoryProductStore());

const pglite = usePglite();
productStoreContract('PGlite', async () => sqlProductStore(await pglite.fresh()));

const hasPostgres = await requireInfra('postgres');
const postgres = usePostgres(hasPostgres);
productStoreContract('PostgreSQL', async () => sqlProductStore(await postgres.fresh()), hasPostgres);
