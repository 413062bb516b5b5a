import { ShopError } from '../../platform/errors.ts';

/** What a keyed change asked for, to tell its retry (the same request) from another request reusing the key. */
export const requestOf = (change: 'add' | 'remove', productId: string, quantity?: number) =>
  JSON.stringify([change, productId, quantity ?? null]);

/** The refusal of an Idempotency-Key already used with another request (422): nothing changes. */
export const keyReused = () =>
  new ShopError('idempotency_key_reused', 'this Idempotency-Key was used with a different request');
