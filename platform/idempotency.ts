import { createHash } from 'node:crypto';
import { ShopError } from './errors.ts';

/** Fingerprint of a request's parts, to tell its retry (the same parts) from another request reusing its key. */
export const requestFingerprint = (parts: readonly unknown[]) =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex');

/** The refusal of an Idempotency-Key already used with another request (422): nothing changes. */
export const keyReused = () =>
  new ShopError('idempotency_key_reused', 'this Idempotency-Key was used with a different request');
