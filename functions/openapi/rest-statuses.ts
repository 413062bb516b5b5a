import type { RequestName } from '../definitions.ts';

/**
 * The statuses a function with its own `restStatus` answers with (a function of its output,
 * which the document cannot read): each with what it means. A function without `restStatus`
 * answers 200, or 204 when it has no output; one with it and no entry here fails the
 * document's generation.
 */
export const restStatuses: Partial<Record<RequestName, Record<number, string>>> = {
  'create-product': { 201: 'The new product.' },
  'process-payment': {
    201: 'The payment, completed (or the payment this Idempotency-Key already made).',
    402: 'The card was declined: the payment, with `"status":"failed"` and its `failure_reason`.',
  },
};
