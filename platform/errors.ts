import type { Code } from '@connectrpc/connect';

/**
 * The error codes a client can see, each with its HTTP status and Connect code (by name: Connect
 * loads only with the first RPC).
 */
export const errorTable = {
  invalid_argument: { http: 400, connect: 'InvalidArgument' },
  unauthenticated: { http: 401, connect: 'Unauthenticated' },
  forbidden: { http: 403, connect: 'PermissionDenied' },
  not_found: { http: 404, connect: 'NotFound' },
  method_not_allowed: { http: 405, connect: 'Unimplemented' },
  conflict: { http: 409, connect: 'AlreadyExists' },
  basket_empty: { http: 409, connect: 'FailedPrecondition' },
  insufficient_stock: { http: 409, connect: 'FailedPrecondition' },
  refund_not_allowed: { http: 409, connect: 'FailedPrecondition' },
  payment_in_progress: { http: 409, connect: 'Aborted' },
  payload_too_large: { http: 413, connect: 'ResourceExhausted' },
  unsupported_media_type: { http: 415, connect: 'InvalidArgument' },
  idempotency_key_reused: { http: 422, connect: 'FailedPrecondition' },
  amount_too_large: { http: 422, connect: 'FailedPrecondition' },
  rate_limited: { http: 429, connect: 'ResourceExhausted' },
  internal: { http: 500, connect: 'Internal' },
  bad_gateway: { http: 502, connect: 'Unknown' },
  unavailable: { http: 503, connect: 'Unavailable' },
  upstream_timeout: { http: 504, connect: 'DeadlineExceeded' },
} as const satisfies Record<string, { http: number; connect: keyof typeof Code }>;

/** One of the codes of {@link errorTable}. */
export type ErrorCode = keyof typeof errorTable;

/** A domain error: thrown anywhere, mapped to HTTP or Connect in one place. */
export class ShopError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ShopError';
  }

  /** The HTTP status for this error. */
  get status(): number {
    return errorTable[this.code].http;
  }

  /** The JSON body every REST error answers with. */
  toJSON(): { error: { code: ErrorCode; message: string; field?: string } } {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

/** Wraps anything thrown into a ShopError; unknown errors become `internal` and keep their cause. */
export function toShopError(e: unknown): ShopError {
  if (e instanceof ShopError) return e;
  return new ShopError('internal', 'internal error', undefined, { cause: e });
}

/** Shorthands for the errors handlers throw most. */
export const notFound = (what: string, id: string) => new ShopError('not_found', `${what} ${id} not found`);
export const invalid = (field: string, message: string) =>
  new ShopError('invalid_argument', `${field}: ${message}`, field);
