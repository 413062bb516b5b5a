import type { Context } from 'hono';
import { isComplete } from './security-headers.ts';

/**
 * The HTTP status the Connect protocol gives each RPC code, by the code's number (as in
 * `grpc-status`): Connect's own `codeToHttpStatus` (a test holds them equal), written out so that
 * counting a proxied gRPC answer does not load Connect.
 */
const HTTP_OF_RPC_CODE = [200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401];

/** The HTTP status the Connect protocol gives an RPC code (500 for a code it does not know). */
export const httpStatusOfRpcCode = (code: number): number => HTTP_OF_RPC_CODE[code] ?? 500;

/** Whether a content type is gRPC-Web's (the call's status then travels in the body's trailer frame). */
export const isGrpcWeb = (contentType: string | null | undefined) => /^application\/grpc-web/i.test(contentType ?? '');

/**
 * The `grpc-status` of a request's answer, when it has one: read from a gRPC-Web body by the RPC
 * route (the `grpcStatus` variable), else the answer's `grpc-status` header (never on an answer
 * made whole by answer.ts: a REST answer).
 */
export function grpcStatusOf(c: Context): number | undefined {
  const read: unknown = c.get('grpcStatus');
  if (typeof read === 'number') return read;
  if (isComplete(c.res)) return undefined;
  const header = c.res.headers.get('grpc-status');
  return header === null ? undefined : Number(header);
}

/**
 * The status a request is counted and logged with: its HTTP status, except for a gRPC or gRPC-Web
 * answer (200 on the wire, whatever the outcome) with a `grpc-status` other than 0: the status the
 * Connect protocol gives that code (NotFound 404, Internal 500), so that a failed call never
 * counts as a 200, whichever of the three protocols made it. `code`: the answer's
 * {@link grpcStatusOf}, when the caller has read it already.
 */
export function answerStatus(c: Context, code = grpcStatusOf(c)): number {
  return code === undefined || code === 0 ? c.res.status : httpStatusOfRpcCode(code);
}

/**
 * The `grpc-status` in the trailer frame of a gRPC-Web body, if it has one. The body is frames:
 * a flag byte (0x80 for the trailers), a 4-byte big-endian length, then that many bytes (the
 * trailers as HTTP/1 header lines).
 */
export function grpcWebTrailerStatus(body: Uint8Array): number | undefined {
  let status: number | undefined;
  for (let at = 0; at + 5 <= body.length; ) {
    const length = new DataView(body.buffer, body.byteOffset + at + 1, 4).getUint32(0);
    if ((body[at] ?? 0) & 0x80) {
      const found = /^grpc-status:\s*(\d+)\s*$/im.exec(
        new TextDecoder().decode(body.subarray(at + 5, at + 5 + length)),
      );
      if (found) status = Number(found[1]);
    }
    at += 5 + length;
  }
  return status;
}
