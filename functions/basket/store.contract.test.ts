import { memoryBasketStore } from './memory-store.ts';
import { basketStoreContract } from './store.contract.ts';

basketStoreContract('memory', async () => memoryBasketStore());
