import { Code, ConnectError } from '@connectrpc/connect';
import { errorTable, ShopError, toShopError } from './errors.ts';

/**
 * Connect's refusals of a request whose bytes it could not read, by code and message: made before
 * any method (or interceptor) runs, with codes that say the server failed (Internal: HTTP 500,
 * Unimplemented: 501). The caller did. A change of wording in Connect fails rpc-bad-bytes.test.ts.
 */
const UNREADABLE: readonly (readonly [Code, RegExp])[] = [
  // A message that does not decode: bytes of no message, a string that is not UTF-8.
  [Code.Internal, /^parse binary: /],
  // A gRPC or gRPC-Web frame flagged compressed, without an encoding to decompress it with.
  [Code.Internal, /^received compressed envelope, but do not know how to decompress$/],
  // A unary call with no frame, or with two.
  [Code.Unimplemented, /^protocol error: (missing|received extra) input message for unary method$/],
];

/** Whether `e` is Connect's refusal of bytes it could not read. */
const unreadable = (e: ConnectError) =>
  UNREADABLE.some(([code, message]) => e.code === code && message.test(e.rawMessage));

/**
 * The error an RPC answers with, for whatever a method threw and whatever Connect answered: a
 * ShopError by its code in errorTable, Connect's refusal of unreadable bytes as `invalid_argument`,
 * another ConnectError as it is, anything else `internal`. The cause stays for the log.
 */
export function toConnectError(e: unknown): ConnectError {
  if (e instanceof ConnectError && !unreadable(e)) return e;
  const err =
    e instanceof ConnectError
      ? new ShopError('invalid_argument', e.rawMessage, undefined, { cause: e })
      : toShopError(e);
  return new ConnectError(err.message, Code[errorTable[err.code].connect], undefined, undefined, err);
}
