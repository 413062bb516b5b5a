import type { FunctionDef } from '../../platform/define.ts';
import { errorTable, type ErrorCode } from '../../platform/errors.ts';
import type { RequestRoute } from '../routes.ts';
import type { JsonSchema, Response } from './types.ts';

/** What each error code means, as the document says it. */
const meaning: Record<ErrorCode, string> = {
  invalid_argument: 'the input is not valid (`field` names the offending field)',
  unauthenticated: 'no valid bearer token (a token that is sent must be valid, on any route)',
  forbidden: 'the caller may not do this (another user’s data, or not an admin)',
  not_found: 'what the request names does not exist',
  method_not_allowed: 'the path does not take this method (`Allow` lists the ones it takes)',
  conflict: 'the change would break a limit of what it changes',
  basket_empty: 'the basket is empty',
  insufficient_stock: 'not enough in stock',
  refund_not_allowed:
    'the payment cannot be refunded (not completed, the amount exceeds what is left, or the payment provider refused it)',
  payment_in_progress: 'a payment with this Idempotency-Key is in progress; retry shortly',
  payload_too_large: 'the request body is over the size limit',
  unsupported_media_type: 'a request body that is not `application/json`',
  idempotency_key_reused: 'this Idempotency-Key was used with a different request',
  amount_too_large: 'the order costs more than any order may (MAX_AMOUNT_MINOR); nothing was charged',
  rate_limited: 'too many requests from this client; `Retry-After` says when to retry',
  internal: 'a fault of the shop',
  bad_gateway:
    'the function failed after it got the request, which may have run (gateway forwarding to functions); ask again with the same Idempotency-Key',
  unavailable:
    'a dependency (database, Redis, the event broker, the identity provider, the payment provider, the function) is down',
  upstream_timeout: 'the function did not answer in time (gateway forwarding to functions)',
};

/** The JSON body of every error: `{ "error": { "code", "message", "field"? } }`. */
export const errorSchemas: Record<string, JsonSchema> = {
  ErrorCode: {
    type: 'string',
    enum: Object.keys(errorTable),
    description: 'What went wrong; the HTTP status follows from it.',
  },
  Error: {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        properties: {
          code: { $ref: '#/components/schemas/ErrorCode' },
          message: { type: 'string', description: 'For people: what went wrong, and often what to do.' },
          field: { type: 'string', description: 'The input field at fault, e.g. `price.currency`.' },
        },
        required: ['code', 'message'],
        additionalProperties: false,
      },
    },
    required: ['error'],
    additionalProperties: false,
  },
};

/**
 * The codes every route of the edge can answer, whatever its function: its input is checked
 * (400), a bearer token that is sent is checked (401), bodies are limited and must be JSON (413,
 * 415: on the methods whose body is read), each client is rate limited (429), and a fault or a
 * dependency or function that is down, fails mid-call or is slow answers 500, 502, 503 or 504; plus 403 where only some
 * callers may.
 */
export function commonErrors(route: RequestRoute, access: FunctionDef<unknown>['access']): ErrorCode[] {
  return [
    'invalid_argument',
    'unauthenticated',
    ...(access === 'public' ? [] : (['forbidden'] as const)),
    ...(route.method === 'GET' ? [] : (['payload_too_large'] as const)),
    ...(route.method === 'POST' || route.method === 'PUT' ? (['unsupported_media_type'] as const) : []),
    'rate_limited',
    'internal',
    'bad_gateway',
    'unavailable',
    'upstream_timeout',
  ];
}

/** An error response: its codes' meanings, and the error body narrowed to those codes. */
function errorResponse(status: number, codes: readonly ErrorCode[]): Response {
  return {
    description: codes.map((code) => `\`${code}\`: ${meaning[code]}`).join('; '),
    ...(status === 429
      ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } }
      : {}),
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/Error' },
            { properties: { error: { properties: { code: { enum: codes } } } } },
          ],
        },
      },
    },
  };
}

/** A response per error code (`#/components/responses/<code>`), for a status that answers only that code. */
export const errorResponseComponents: Record<string, Response> = Object.fromEntries(
  (Object.keys(errorTable) as ErrorCode[]).map((code) => [code, errorResponse(errorTable[code].http, [code])]),
);

/**
 * The error responses of an operation answering `codes`, one per status: the component of its
 * code where it answers one code, else its codes together.
 */
export function errorResponses(codes: readonly ErrorCode[]): Record<string, Response | { $ref: string }> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = errorTable[code].http;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, inStatus]) => [
        String(status),
        inStatus.length === 1 ? { $ref: `#/components/responses/${inStatus[0]}` } : errorResponse(status, inStatus),
      ]),
  );
}
