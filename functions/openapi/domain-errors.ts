import type { ErrorCode } from '../../platform/errors.ts';
import type { RequestName } from '../definitions.ts';

/**
 * The errors each request function answers of its own, beyond those every route can answer
 * (bad input, authentication, limits, outages: see error-responses.ts): what its handler, and the
 * stores it calls, throw. The test of the document checks this against the codes its module
 * throws, and the end-to-end test answers of the document against the real answers.
 */
export const domainErrors: Record<RequestName, readonly ErrorCode[]> = {
  'list-products': [],
  'get-product': ['not_found'],
  'create-product': [],
  'update-product': ['not_found'],
  'delete-product': ['not_found'],
  'adjust-stock': ['not_found', 'insufficient_stock'],
  'get-basket': [],
  'add-to-basket': ['not_found', 'insufficient_stock', 'conflict', 'idempotency_key_reused'],
  'remove-from-basket': ['idempotency_key_reused'],
  'clear-basket': [],
  'process-payment': [
    'basket_empty',
    'insufficient_stock',
    'amount_too_large',
    'payment_in_progress',
    'idempotency_key_reused',
  ],
  'get-payment': ['not_found'],
  'refund-payment': ['not_found', 'refund_not_allowed', 'idempotency_key_reused'],
  'reconcile-payments': [],
};
