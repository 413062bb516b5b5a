import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument, Operation } from '../../functions/openapi/types.ts';
import { asUser, GATEWAY_ADMIN, startEmbedded, type RunningShop } from '../../test/support/running-shop.ts';

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => void;

/** A request as a client reads it off the document: its operation, parameters by place, JSON body. */
interface Request {
  op: string;
  path?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** `Authorization` (not a parameter: the operation's security). */
  auth?: Record<string, string>;
  /** Meant to be refused: its parameters and body are not checked against the document. */
  invalid?: boolean;
  /** A body sent as is, with its own content type (no JSON). */
  raw?: { type: string; text: string };
}

/** JSON pointer into the document, as an Ajv reference. */
const pointer = (...segments: string[]) =>
  `openapi.json#/${segments.map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/')}`;

/**
 * The document does not lie: a client builds every request from it (path, query, headers and body
 * as it says, and checked against its schemas), and every answer of the shop, success or error,
 * has a status the operation lists and a body its schema for that status accepts. The flow calls
 * every operation, and the errors a client meets most.
 */
describe('real REST answers against /openapi.json', () => {
  let shop: RunningShop;
  let doc: OpenApiDocument;
  let ajv: Ajv2020;
  const seen = new Set<string>();
  beforeAll(async () => {
    shop = await startEmbedded();
    doc = (await (await fetch(`${shop.url}/openapi.json`)).json()) as OpenApiDocument;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'openapi.json');
  });
  afterAll(async () => shop?.stop());

  const operation = (id: string): { path: string; method: string; op: Operation } => {
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) if (op.operationId === id) return { path, method, op };
    throw new Error(`no operation ${id}`);
  };

  const check = (ref: string, value: unknown, what: string) => {
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`no schema at ${ref}`);
    expect(validate(value), `${what}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(value)}`).toBe(true);
  };

  /** Sends `r` as the document says; checks the answer against it; returns status and body. */
  async function send(r: Request): Promise<{ status: number; body: any }> {
    const { path, method, op } = operation(r.op);
    const params = (where: string) => op.parameters.filter((p) => p.in === where);
    const given = { path: r.path ?? {}, query: r.query ?? {}, header: r.headers ?? {} };
    for (const [where, values] of Object.entries(given)) {
      for (const name of Object.keys(values))
        expect(
          params(where).map((p) => p.name),
          `${r.op} ${where}`,
        ).toContain(name);
      if (r.invalid) continue;
      for (const [i, p] of op.parameters.entries()) {
        if (p.in !== where) continue;
        if (p.required) expect(values, `${r.op} needs ${where} ${p.name}`).toHaveProperty(p.name);
        if (p.name in values) {
          const value = (values as Record<string, string>)[p.name]!;
          const schema = p.schema.type === 'integer' ? Number(value) : value;
          check(pointer('paths', path, method, 'parameters', String(i), 'schema'), schema, `${r.op} ${p.name}`);
        }
      }
    }
    if (r.body !== undefined) {
      expect(op.requestBody, `${r.op} takes a body`).toBeDefined();
      if (!r.invalid)
        check(pointer('paths', path, method, 'requestBody', 'content', 'application/json', 'schema'), r.body, r.op);
    } else if (!r.invalid && !r.raw) expect(op.requestBody?.required ?? false, `${r.op} needs a body`).toBe(false);

    const url = new URL(
      path.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(given.path[p]!)),
      shop.url,
    );
    for (const [k, v] of Object.entries(given.query)) url.searchParams.set(k, v);
    const res = await fetch(url, {
      method: method.toUpperCase(),
      headers: {
        ...given.header,
        ...r.auth,
        ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(r.raw ? { 'content-type': r.raw.type } : {}),
      },
      body: r.raw ? r.raw.text : r.body === undefined ? undefined : JSON.stringify(r.body),
    });
    const text = await res.text();
    const status = String(res.status);
    expect(Object.keys(op.responses), `${r.op} answered ${status}: ${text}`).toContain(status);
    const documented = op.responses[status]!;
    const at =
      '$ref' in documented
        ? ['components', 'responses', documented.$ref.split('/').pop()!]
        : ['paths', path, method, 'responses', status];
    const response = '$ref' in documented ? doc.components.responses[at[2]!]! : documented;
    if (!response.content) {
      expect(text, `${r.op} ${status} has no content`).toBe('');
      seen.add(`${r.op} ${status}`);
      return { status: res.status, body: undefined };
    }
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(text);
    check(pointer(...at, 'content', 'application/json', 'schema'), body, `${r.op} ${status}`);
    seen.add(`${r.op} ${status}`);
    return { status: res.status, body };
  }

  const card = (number = '4242424242424242', holder = 'Alice Doe') => ({ number, holder, expiry: '12/30', cvv: '123' });

  it('every operation, its answers and its common errors, as the document says', async () => {
    const admin = { authorization: `Bearer ${GATEWAY_ADMIN}` };
    const alice = await asUser('conf-alice');
    const bob = await asUser('conf-bob');

    expect((await send({ op: 'list-products', query: { category: 'kitchen', limit: '2' } })).status).toBe(200);
    expect((await send({ op: 'list-products', query: { limit: '0' }, invalid: true })).status).toBe(400);
    expect((await send({ op: 'get-product', path: { id: 'kettle' } })).status).toBe(200);
    expect((await send({ op: 'get-product', path: { id: 'no-such-thing' } })).status).toBe(404);
    expect(
      (await send({ op: 'get-product', path: { id: 'kettle' }, auth: { authorization: 'Bearer nope' } })).status,
    ).toBe(401);

    const product = { name: 'Conformance', category: 'test', price: { amount_minor: 1500, currency: 'USD' }, stock: 5 };
    const created = await send({ op: 'create-product', body: product, auth: admin });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    expect((await send({ op: 'create-product', body: product })).status).toBe(401);
    expect((await send({ op: 'create-product', body: product, auth: alice })).status).toBe(403);
    expect((await send({ op: 'create-product', body: { name: 'x' }, auth: admin, invalid: true })).status).toBe(400);
    const text = { type: 'text/plain', text: 'name=x' };
    expect((await send({ op: 'create-product', raw: text, auth: admin, invalid: true })).status).toBe(415);
    const price = { amount_minor: 1200, currency: 'USD' };
    expect((await send({ op: 'update-product', path: { id }, body: { price }, auth: admin })).status).toBe(200);
    expect((await send({ op: 'adjust-stock', path: { id }, body: { delta: 3 }, auth: admin })).status).toBe(200);
    expect((await send({ op: 'adjust-stock', path: { id }, body: { delta: -1000 }, auth: admin })).status).toBe(409);

    const line = { user_id: 'conf-alice', product_id: id, quantity: 2 };
    expect((await send({ op: 'add-to-basket', body: line, auth: alice })).status).toBe(200);
    expect((await send({ op: 'add-to-basket', body: line, auth: bob })).status).toBe(403);
    expect(
      (await send({ op: 'add-to-basket', body: { ...line, product_id: 'no-such-thing' }, auth: alice })).status,
    ).toBe(404);
    expect(
      (await send({ op: 'add-to-basket', body: { ...line, quantity: 1000 }, auth: alice, invalid: true })).status,
    ).toBe(400);
    expect((await send({ op: 'add-to-basket', body: { ...line, quantity: 100 }, auth: alice })).status).toBe(409);
    const remove = { user_id: 'conf-alice', product_id: id, quantity: 1 };
    expect((await send({ op: 'remove-from-basket', body: remove, auth: alice })).status).toBe(200);
    expect((await send({ op: 'get-basket', path: { user_id: 'conf-alice' }, auth: alice })).status).toBe(200);
    expect((await send({ op: 'get-basket', path: { user_id: 'conf-alice' } })).status).toBe(401);

    const pay = { user_id: 'conf-alice', card: card() };
    const key = { 'Idempotency-Key': 'conformance-1' };
    const paid = await send({ op: 'process-payment', headers: key, body: pay, auth: alice });
    expect(paid.status).toBe(201);
    expect((await send({ op: 'process-payment', headers: key, body: pay, auth: alice })).body.id).toBe(paid.body.id);
    const other = { ...pay, card: card(undefined, 'Someone Else') };
    expect((await send({ op: 'process-payment', headers: key, body: other, auth: alice })).status).toBe(422);
    const empty = await asUser('conf-empty');
    const nothing = { user_id: 'conf-empty', card: card() };
    expect((await send({ op: 'process-payment', body: nothing, auth: empty })).status).toBe(409);
    expect((await send({ op: 'get-payment', path: { id: paid.body.id }, auth: alice })).status).toBe(200);
    expect((await send({ op: 'get-payment', path: { id: paid.body.id }, auth: bob })).status).toBe(403);
    expect((await send({ op: 'get-payment', path: { id: 'no-such-thing' }, auth: alice })).status).toBe(404);
    const refund = { amount_minor: 100, reason: 'conformance' };
    // Refunds are the merchant's: the payer's own is refused.
    expect((await send({ op: 'refund-payment', path: { id: paid.body.id }, body: refund, auth: alice })).status).toBe(
      403,
    );
    const refundKey = { 'Idempotency-Key': 'conformance-refund-1' };
    const refunded = {
      op: 'refund-payment',
      path: { id: paid.body.id },
      body: refund,
      headers: refundKey,
      auth: admin,
    };
    expect((await send(refunded)).status).toBe(200);
    expect((await send(refunded)).body.refunded.amount_minor).toBe(100);
    const tooMuch = { amount_minor: 1_000_000 };
    expect((await send({ op: 'refund-payment', path: { id: paid.body.id }, body: tooMuch, auth: admin })).status).toBe(
      409,
    );
    expect((await send({ op: 'refund-payment', path: { id: paid.body.id }, auth: admin })).status).toBe(200);
    const reconciled = await send({
      op: 'reconcile-payments',
      query: { pending_older_than_seconds: '60' },
      auth: admin,
    });
    expect([reconciled.status, reconciled.body.differences]).toEqual([200, []]);
    expect((await send({ op: 'reconcile-payments', auth: alice })).status).toBe(403);

    const bobLine = { user_id: 'conf-bob', product_id: 'notebook', quantity: 1 };
    expect((await send({ op: 'add-to-basket', body: bobLine, auth: bob })).status).toBe(200);
    const declined = { user_id: 'conf-bob', card: card('4000000000000002', 'Bob') };
    expect((await send({ op: 'process-payment', body: declined, auth: bob })).status).toBe(402);
    expect((await send({ op: 'clear-basket', path: { user_id: 'conf-bob' }, auth: bob })).status).toBe(204);
    expect((await send({ op: 'delete-product', path: { id }, auth: admin })).status).toBe(204);
    expect((await send({ op: 'delete-product', path: { id }, auth: admin })).status).toBe(404);

    // Every operation was called, and answered a success of its own.
    const operations = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    const succeeded = (op: string) => [...seen].some((s) => s.startsWith(`${op} 2`));
    for (const op of operations) expect(succeeded(op), op).toBe(true);
  }, 60_000);
});
