import { fromJson, toBinary, type DescMessage, type JsonValue } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { stringPaths, withTail } from './lone-surrogates.ts';
import { frame, RPC_VIAS, type RpcVia } from './raw-rpc.ts';

/** One hostile RPC call: how it goes, with what content type and body, whether it holds a token, and what it is. */
export interface HostileRpc {
  via: RpcVia;
  contentType: string;
  body: Uint8Array;
  token: boolean;
  kind: string;
}

const CONTENT_TYPE = {
  connect: { binary: 'application/proto', json: 'application/json' },
  grpc: { binary: 'application/grpc', json: 'application/grpc+json' },
  'grpc-web': { binary: 'application/grpc-web+proto', json: 'application/grpc-web+json' },
};

/** A lone surrogate's bytes as an encoder that does not check UTF-16 writes them (high, low): not UTF-8. */
const SURROGATE_BYTES = [new Uint8Array([0xed, 0xa0, 0x80]), new Uint8Array([0xed, 0xbf, 0xbf])];
const REPLACEMENT = [0xef, 0xbf, 0xbd]; // U+FFFD in UTF-8: as long as a surrogate's bytes

/** The binary message of `input`, each string in turn ending in a lone surrogate's bytes. */
function surrogateMessages(schema: DescMessage, input: Record<string, unknown>): Uint8Array[] {
  return stringPaths(input).flatMap((path) =>
    SURROGATE_BYTES.map((bytes) => {
      const message = toBinary(schema, fromJson(schema, withTail(input, path, '\ufffd') as JsonValue));
      const at = message.findIndex((_, i) => REPLACEMENT.every((b, j) => message[i + j] === b));
      message.set(bytes, at);
      return message;
    }),
  );
}

/** Message bytes: random, the valid encoding cut short or with bytes changed, a string not UTF-8, or valid. */
function messages(schema: DescMessage, input: Record<string, unknown>): fc.Arbitrary<[string, Uint8Array]> {
  const valid = toBinary(schema, fromJson(schema, input as JsonValue));
  const surrogates = surrogateMessages(schema, input);
  return fc.oneof(
    fc.uint8Array({ maxLength: 64 }).map((b): [string, Uint8Array] => ['random bytes', b]),
    fc.nat().map((cut): [string, Uint8Array] => ['valid, cut short', valid.slice(0, cut % (valid.length + 1))]),
    fc
      .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
      .map((changes): [string, Uint8Array] => {
        const changed = valid.slice();
        for (const [at, byte] of changes) if (changed.length) changed[at % changed.length] = byte;
        return ['valid, bytes changed', changed];
      }),
    ...(surrogates.length
      ? [fc.constantFrom(...surrogates).map((m): [string, Uint8Array] => ["a lone surrogate's bytes", m])]
      : []),
    fc.constant<[string, Uint8Array]>(['valid', valid]),
  );
}

/** The body of a gRPC or gRPC-Web call of `message`: framed, or with its framing broken. */
const framed = (message: Uint8Array): fc.Arbitrary<[string, Uint8Array]> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant<[string, Uint8Array]>(['framed', frame(message)]) },
    fc.integer({ min: 1, max: 255 }).map((flags): [string, Uint8Array] => [`flags ${flags}`, frame(message, flags)]),
    fc.nat(1_000).map((n): [string, Uint8Array] => [`length ${n}`, frame(message, 0, n)]),
    fc.nat(4).map((n): [string, Uint8Array] => ['prefix cut short', frame(message).slice(0, n)]),
    fc.constant<[string, Uint8Array]>(['two frames', new Uint8Array([...frame(message), ...frame(message)])]),
    fc.constant<[string, Uint8Array]>(['not framed', message]),
  );

/**
 * Hostile calls of a method whose input message is `schema`, built from a valid `input` (JSON,
 * proto field names) and hostile JSON texts `json`: binary or JSON messages, on every protocol
 * and HTTP version, framed or not, mostly with a token.
 */
export function hostileRpc(
  schema: DescMessage,
  input: Record<string, unknown>,
  json: fc.Arbitrary<string>,
): fc.Arbitrary<HostileRpc> {
  const message = fc.oneof(
    {
      weight: 3,
      arbitrary: messages(schema, input).map(([kind, bytes]) => ({ kind, bytes, format: 'binary' as const })),
    },
    {
      weight: 2,
      arbitrary: json.map((t) => ({ kind: 'JSON', bytes: new TextEncoder().encode(t), format: 'json' as const })),
    },
  );
  const token = fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
  return fc.tuple(fc.constantFrom(...RPC_VIAS), message, token).chain(([via, m, withToken]) =>
    (via.protocol === 'connect' ? fc.constant<[string, Uint8Array]>(['', m.bytes]) : framed(m.bytes)).map(
      ([framing, body]): HostileRpc => {
        const kind = `${via.protocol} over HTTP/${via.http}, ${m.format} ${m.kind}${framing && `, ${framing}`}`;
        const call = { via, contentType: CONTENT_TYPE[via.protocol][m.format], body, token: withToken, kind };
        // A failing case prints short: what it is, and the body's first bytes in hex.
        return Object.assign(call, {
          [fc.toStringMethod]: () =>
            `${kind}: ${Buffer.from(body.subarray(0, 200)).toString('hex')} (${body.length} bytes)`,
        });
      },
    ),
  );
}
