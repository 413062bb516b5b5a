import { usePglite } from '../../platform/sql/test-pglite.ts';
import { memoryProductStore } from './memory-store.ts';
import { sqlProductStore } from './sql-store.ts';
import { productStoreContract } from './store.contract.ts';

productStoreContract('memory', async () => memoryProductStore());

const pglite = usePglite();
productStoreContract('PGlite', async () => sqlProductStore(await pglite.fresh()));
