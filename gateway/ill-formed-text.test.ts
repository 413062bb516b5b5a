import { fromJson, toBinary, type DescMessage, type JsonValue } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefundPaymentRequestSchema } from '../gen/shop/payment/v1/payment_pb.ts';
import { CreateProductRequestSchema } from '../gen/shop/product/v1/product_pb.ts';
import { frame, RPC_VIAS, rawRpcClient, viaLabel, type RawRpcClient } from '../test/support/raw-rpc.ts';
import { asUser, call, GATEWAY_ADMIN, useEmbeddedGateway } from '../test/support/running-shop.ts';

const ADMIN = { authorization: `Bearer ${GATEWAY_ADMIN}` };
const CREATE_PRODUCT = '/shop.product.v1.ProductService/CreateProduct';
const REFUND_PAYMENT = '/shop.payment.v1.PaymentService/RefundPayment';
const LONE = '\ud800';
const product = (fields: Record<string, unknown>) => ({
  name: 'Mug',
  description: 'A mug',
  category: 'kitchen',
  price: { amount_minor: 900, currency: 'USD' },
  stock: 5,
  ...fields,
});

/**
 * The binary message of `json` with its one U+FFFD (EF BF BD in UTF-8) written as a lone
 * surrogate's bytes (ED A0 80): what an encoder that does not check UTF-16 sends. Not UTF-8.
 */
function withSurrogateBytes(schema: DescMessage, json: JsonValue): Uint8Array {
  const bytes = toBinary(schema, fromJson(schema, json));
  const at = bytes.findIndex((b, i) => b === 0xef && bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd);
  if (at < 0) throw new Error('no U+FFFD to replace');
  bytes.set([0xed, 0xa0, 0x80], at);
  return bytes;
}

describe('text that is not well-formed Unicode (a lone surrogate) is refused on every protocol, naming the field, and changes nothing', () => {
  const gw = useEmbeddedGateway();
  const api = (path: string) => `${gw.url}/api/v1${path}`;
  const catalog = async () => JSON.stringify((await call(api('/products?limit=100'))).body);
  const payment = async () => (await call(api(`/payments/${paymentId}`), 'GET', undefined, ADMIN)).body;
  let paymentId = '';
  let client: RawRpcClient;
  beforeAll(async () => {
    const payer = await asUser('lone-surrogate-payer');
    await call(
      api('/baskets/add'),
      'POST',
      { user_id: 'lone-surrogate-payer', product_id: 'kettle', quantity: 1 },
      payer,
    );
    const card = { number: '4242424242424242', holder: 'A B', expiry: '12/30', cvv: '123' };
    const paid = await call(api('/payments'), 'POST', { user_id: 'lone-surrogate-payer', card }, payer);
    expect(paid.status).toBe(201);
    paymentId = paid.body.id;
    client = rawRpcClient(gw.url, ADMIN);
  });
  afterAll(() => client?.close());

  for (const field of ['name', 'description'])
    it(`REST: a product ${field} with a lone surrogate is a 400 naming ${field}`, async () => {
      const before = await catalog();
      const res = await call(api('/products'), 'POST', JSON.stringify(product({ [field]: `Mug ${LONE}` })), ADMIN);
      expect([res.status, res.body.error]).toEqual([
        400,
        { code: 'invalid_argument', message: expect.stringMatching(new RegExp(`^${field}: `)), field },
      ]);
      expect(await catalog()).toBe(before);
    });

  it('REST: a refund reason with a lone surrogate is a 400 naming reason, and refunds nothing', async () => {
    const before = await payment();
    const res = await call(api(`/payments/${paymentId}/refund`), 'POST', JSON.stringify({ reason: LONE }), ADMIN);
    expect([res.status, res.body.error?.field]).toEqual([400, 'reason']);
    expect(await payment()).toEqual(before);
  });

  it('Connect JSON: a lone surrogate in a product name or a refund reason is invalid_argument naming the field', async () => {
    const before = [await catalog(), await payment()];
    const json = { 'content-type': 'application/json', ...ADMIN };
    const created = await call(`${gw.url}${CREATE_PRODUCT}`, 'POST', JSON.stringify(product({ name: LONE })), json);
    expect([created.status, created.body.code]).toEqual([400, 'invalid_argument']);
    expect(created.body.message).toContain('CreateProductRequest.name');
    const refund = { id: paymentId, reason: LONE };
    const refused = await call(`${gw.url}${REFUND_PAYMENT}`, 'POST', JSON.stringify(refund), json);
    expect([refused.status, refused.body.code]).toEqual([400, 'invalid_argument']);
    expect(refused.body.message).toContain('RefundPaymentRequest.reason');
    expect([await catalog(), await payment()]).toEqual(before);
  });

  for (const via of RPC_VIAS)
    it(`${viaLabel(via)}: a lone surrogate's bytes in a product name or a refund reason are invalid_argument`, async () => {
      const before = [await catalog(), await payment()];
      const send = (path: string, message: Uint8Array) =>
        client.send(via, path, via.protocol === 'connect' ? message : frame(message));
      const name = withSurrogateBytes(CreateProductRequestSchema, product({ name: 'Mug \ufffd' }));
      const reason = withSurrogateBytes(RefundPaymentRequestSchema, { id: paymentId, reason: '\ufffd' });
      for (const answer of [await send(CREATE_PRODUCT, name), await send(REFUND_PAYMENT, reason)])
        expect(answer).toMatchObject({
          code: 'invalid_argument',
          status: 400,
          message: expect.stringMatching(/utf-8/i),
        });
      expect([await catalog(), await payment()]).toEqual(before);
    });

  for (const via of RPC_VIAS.filter((v) => v.protocol !== 'connect'))
    it(`${viaLabel(via)}, JSON: a lone surrogate where a number goes is invalid_argument, though the error quotes it`, async () => {
      // Connect's error quotes the value, and cannot write a lone surrogate in grpc-message.
      const json = new TextEncoder().encode(JSON.stringify({ id: paymentId, amount_minor: LONE }));
      const type = via.protocol === 'grpc' ? 'application/grpc+json' : 'application/grpc-web+json';
      expect(await client.send(via, REFUND_PAYMENT, frame(json), { 'content-type': type })).toMatchObject({
        code: 'invalid_argument',
        status: 400,
      });
    });
});
