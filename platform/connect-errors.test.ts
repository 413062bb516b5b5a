import { Code, ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { toConnectError } from './connect-errors.ts';
import { ShopError } from './errors.ts';

describe('the error an RPC answers with', () => {
  it("is invalid_argument for Connect's refusals of bytes it could not read, keeping its message", () => {
    for (const [code, message] of [
      [Code.Internal, 'parse binary: illegal tag: varint overflows uint32'],
      [Code.Internal, 'parse binary: The encoded data was not valid for encoding utf-8'],
      [Code.Internal, 'received compressed envelope, but do not know how to decompress'],
      [Code.Unimplemented, 'protocol error: missing input message for unary method'],
      [Code.Unimplemented, 'protocol error: received extra input message for unary method'],
    ] as const) {
      const answered = toConnectError(new ConnectError(message, code));
      expect([answered.code, answered.rawMessage], message).toEqual([Code.InvalidArgument, message]);
    }
  });

  it("keeps Connect's other errors as they are: a failure to write the answer is the server's", () => {
    for (const err of [
      new ConnectError('serialize binary: invalid UTF8', Code.Internal),
      new ConnectError('unknown compression "zstd": supported encodings are gzip', Code.Unimplemented),
      new ConnectError('message size 9 is larger than configured readMaxBytes 8', Code.ResourceExhausted),
    ])
      expect(toConnectError(err)).toBe(err);
  });

  it('gives a ShopError the code of its table, and anything else internal, the cause kept', () => {
    const notFound = new ShopError('not_found', 'product x not found');
    expect(toConnectError(notFound)).toMatchObject({ code: Code.NotFound, rawMessage: 'product x not found' });
    const boom = new Error('boom');
    const internal = toConnectError(boom);
    expect([internal.code, internal.rawMessage, (internal.cause as ShopError).cause]).toEqual([
      Code.Internal,
      'internal error',
      boom,
    ]);
  });
});
