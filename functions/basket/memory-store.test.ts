import { describe, expect, it } from 'vitest';
import { memoryBasketStore } from './memory-store.ts';
import { IDEMPOTENCY_TTL_MS } from './store.ts';

describe('the memory basket store', () => {
  it('forgets an Idempotency-Key after IDEMPOTENCY_TTL_MS: a change with it then applies again', async () => {
    let now = 0;
    const store = memoryBasketStore(() => now);
    await store.add('u', 'a', 1, undefined, 'k');
    now = IDEMPOTENCY_TTL_MS - 1;
    expect(await store.add('u', 'a', 1, undefined, 'k')).toEqual([{ product_id: 'a', quantity: 1 }]);
    now = IDEMPOTENCY_TTL_MS;
    expect(await store.add('u', 'a', 1, undefined, 'k')).toEqual([{ product_id: 'a', quantity: 2 }]);
    await expect(store.remove('u', 'a', 1, 'k')).rejects.toMatchObject({ code: 'idempotency_key_reused' });
  });
});
