import { create, toBinary } from '@bufbuild/protobuf';
import { afterAll, describe, expect, it } from 'vitest';
import { GetProductRequestSchema } from '../gen/shop/product/v1/product_pb.ts';
import { frame, RPC_VIAS, rawRpcClient, viaLabel, type RawRpcClient } from '../test/support/raw-rpc.ts';
import { GATEWAY_ADMIN, useEmbeddedGateway } from '../test/support/running-shop.ts';

const GET_PRODUCT = '/shop.product.v1.ProductService/GetProduct';
/** Bytes no protobuf message parses from: a varint that overflows. */
const GARBAGE = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
const valid = toBinary(GetProductRequestSchema, create(GetProductRequestSchema, { id: 'kettle' }));

/** Framing that is broken: each as a body of a gRPC or gRPC-Web call. */
const brokenFraming: [string, Uint8Array][] = [
  ['a length prefix cut short', new Uint8Array([0, 0, 0])],
  ['a length larger than the body', frame(valid, 0, valid.length + 10)],
  ['a frame flagged compressed, with no encoding', frame(valid, 1)],
  ['no frame at all', new Uint8Array()],
  ['two frames for a unary method', new Uint8Array([...frame(valid), ...frame(valid)])],
];

describe('bytes that are no message answer invalid_argument on every RPC protocol, never internal', () => {
  const gw = useEmbeddedGateway();
  let client: RawRpcClient;
  const rpc = () => {
    client ??= rawRpcClient(gw.url);
    return client;
  };
  afterAll(() => client?.close());

  for (const via of RPC_VIAS) {
    it(`${viaLabel(via)}: a message that does not parse, with or without a token`, async () => {
      const body = via.protocol === 'connect' ? GARBAGE : frame(GARBAGE);
      for (const headers of [{}, { authorization: `Bearer ${GATEWAY_ADMIN}` }] as Record<string, string>[])
        expect(await rpc().send(via, GET_PRODUCT, body, headers)).toMatchObject({
          code: 'invalid_argument',
          status: 400,
          message: expect.stringContaining('parse binary'),
        });
    });
  }

  for (const via of RPC_VIAS.filter((v) => v.protocol !== 'connect'))
    for (const [what, body] of brokenFraming)
      it(`${viaLabel(via)}: ${what}`, async () => {
        expect(await rpc().send(via, GET_PRODUCT, body)).toMatchObject({ code: 'invalid_argument', status: 400 });
      });

  it('still serves a well-formed message on every protocol', async () => {
    for (const via of RPC_VIAS)
      expect(
        await rpc().send(via, GET_PRODUCT, via.protocol === 'connect' ? valid : frame(valid)),
        viaLabel(via),
      ).toMatchObject({ code: 'ok', status: 200 });
  });
});
