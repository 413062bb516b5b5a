import { Validator } from '@seriousme/openapi-schema-validator';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorTable, type ErrorCode } from '../../platform/errors.ts';
import { functionModules, type FunctionModules } from '../../scripts/build/function-modules.ts';
import { registry } from '../registry.ts';
import { routes } from '../routes.ts';
import { openApiDocument } from './document.ts';
import { restStatuses } from './rest-statuses.ts';
import type { OpenApiDocument, Operation, Response } from './types.ts';

const root = new URL('../..', import.meta.url).pathname;

/** The route table's REST routes, as `METHOD /path/{param}`. */
const tableRoutes = Object.entries(routes).flatMap(([name, r]) =>
  r.kind === 'request' ? [{ name, key: `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}` }] : [],
);

/** The document's operations, by `METHOD /path`. */
const operationsOf = (doc: OpenApiDocument) =>
  new Map(
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op as Operation] as const),
    ),
  );

/** A response, its `$ref` to a component followed. */
const resolve = (doc: OpenApiDocument, r: Response | { $ref: string }): Response =>
  '$ref' in r ? doc.components.responses[r.$ref.replace('#/components/responses/', '')]! : r;

/** The codes an error response says it answers (its schema: the Error schema narrowed to them). */
function codesOf(doc: OpenApiDocument, r: Response | { $ref: string }): ErrorCode[] {
  const schema = resolve(doc, r).content?.['application/json'].schema as { allOf?: any[] } | undefined;
  expect(schema?.allOf?.[0]).toEqual({ $ref: '#/components/schemas/Error' });
  return schema!.allOf![1].properties.error.properties.code.enum;
}

/**
 * The error codes a function's module visibly throws, and those of the modules it imports from
 * functions/, and theirs: `new ShopError('code', …)`, `notFound(…)`, `invalid(…)`.
 */
function codesThrownBy(module: string, seen = new Set<string>()): Set<ErrorCode> {
  const codes = new Set<ErrorCode>();
  if (seen.has(module)) return codes;
  seen.add(module);
  const source = readFileSync(join(root, module), 'utf8');
  for (const [, code] of source.matchAll(/new ShopError\(\s*'(\w+)'/g)) codes.add(code as ErrorCode);
  if (/\bnotFound\(/.test(source)) codes.add('not_found');
  if (/\binvalid\(/.test(source)) codes.add('invalid_argument');
  for (const [, spec] of source.matchAll(/from '(\.[^']+\.ts)'/g)) {
    const imported = normalize(join(dirname(module), spec!));
    if (imported.startsWith('functions/')) for (const c of codesThrownBy(imported, seen)) codes.add(c);
  }
  return codes;
}

describe('the OpenAPI document (GET /openapi.json)', () => {
  let doc: OpenApiDocument;
  let ops: Map<string, Operation>;
  let modules: FunctionModules;
  beforeAll(async () => {
    doc = await openApiDocument();
    ops = operationsOf(doc);
    modules = await functionModules(root);
  });
  const opOf = (name: string) => ops.get(tableRoutes.find((r) => r.name === name)!.key)!;
  /** The error codes an operation says it answers. */
  const codes = (name: string) =>
    Object.entries(opOf(name).responses)
      .filter(([s]) => Number(s) >= 400 && s !== '402')
      .flatMap(([, r]) => codesOf(doc, r));

  it('is a valid OpenAPI 3.1 document (the official schema), and a broken one is not', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as never);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    const broken = structuredClone(doc) as any;
    broken.paths['/api/v1/products'].get.responses['200'].content = 'not a media type map';
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("has every REST route of the route table, and nothing else, each function's as its operation", () => {
    expect([...ops.keys()].sort()).toEqual(tableRoutes.map((r) => r.key).sort());
    for (const { name, key } of tableRoutes) {
      expect(ops.get(key)!.operationId).toBe(name);
      expect(doc.tags.map((t) => t.name)).toContain(ops.get(key)!.tags[0]);
    }
  });

  it('says who may call each operation: public with no token; a user their JWT or an admin; an admin a JWT with role admin or the admin token', () => {
    expect(doc.components.securitySchemes).toEqual({
      userJwt: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
      adminToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    const expected = {
      public: [],
      user: [{ userJwt: [] }, { adminToken: [] }],
      admin: [{ userJwt: ['admin'] }, { adminToken: [] }],
    };
    for (const { name } of tableRoutes) {
      const access = (registry[name as keyof typeof registry] as { access: keyof typeof expected }).access;
      expect(opOf(name)['x-access'], name).toBe(access);
      expect(opOf(name).security, name).toEqual(expected[access]);
    }
    expect(opOf('create-product').security).toEqual(expected.admin);
    expect(opOf('get-basket').security).toEqual(expected.user);
    expect(opOf('list-products').security).toEqual([]);
  });

  it('takes the Idempotency-Key header on every write a client retries, and no other header anywhere', () => {
    const headers = [...ops].flatMap(([key, op]) =>
      op.parameters.filter((p) => p.in === 'header').map((p) => `${key} ${p.name}`),
    );
    expect(headers.sort()).toEqual([
      'POST /api/v1/baskets/add Idempotency-Key',
      'POST /api/v1/baskets/remove Idempotency-Key',
      'POST /api/v1/payments Idempotency-Key',
      'POST /api/v1/payments/{id}/refund Idempotency-Key',
    ]);
    const says = {
      'process-payment': 'charges once',
      'add-to-basket': 'adds nothing more',
      'remove-from-basket': 'removes nothing more',
      'refund-payment': 'refunds once',
    };
    for (const [name, text] of Object.entries(says)) {
      const key = opOf(name).parameters.find((p) => p.in === 'header')!;
      expect(key, name).toMatchObject({ in: 'header', required: false, description: expect.stringContaining(text) });
      expect(JSON.stringify(key.schema)).toContain('^[\\\\x21-\\\\x7e]{1,255}$');
      const body = opOf(name).requestBody!.content['application/json'].schema as any;
      expect(Object.keys(body.properties), name).not.toContain('idempotency_key');
    }
    expect(codes('add-to-basket')).toContain('idempotency_key_reused');
    expect(codes('remove-from-basket')).toContain('idempotency_key_reused');
  });

  it('places every input field where the REST input reads it: path parameters, query (list-products), JSON body', () => {
    expect(opOf('list-products').parameters.map((p) => `${p.in}:${p.name}`)).toEqual([
      'query:category',
      'query:limit',
      'query:offset',
    ]);
    expect(opOf('list-products').parameters[1]!.schema).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 20,
    });
    expect(opOf('list-products').requestBody).toBeUndefined();
    const stock = opOf('adjust-stock');
    expect(stock.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(stock.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { schema: { required: ['delta'], properties: { delta: { type: 'integer' } } } } },
    });
    const pay = opOf('process-payment').requestBody!.content['application/json'].schema as any;
    expect(Object.keys(pay.properties)).toEqual(['user_id', 'card']);
    expect(pay.required).toEqual(['user_id', 'card']);
    expect(opOf('refund-payment').requestBody?.required).toBe(false);
    for (const [key, op] of ops) {
      for (const name of key.matchAll(/\{(\w+)\}/g))
        expect(
          op.parameters.some((p) => p.in === 'path' && p.name === name[1]),
          key,
        ).toBe(true);
      if (key.startsWith('GET') || key.startsWith('DELETE')) expect(op.requestBody, key).toBeUndefined();
    }
  });

  it("answers with its Connect method's output message, at the statuses its restStatus gives", () => {
    const ok = (name: string) =>
      Object.entries(opOf(name).responses)
        .filter(([s]) => Number(s) < 400)
        .map(([s, r]) => [s, (r as Response).content?.['application/json'].schema]);
    expect(ok('list-products')).toEqual([['200', { $ref: '#/components/schemas/ListProductsResponse' }]]);
    expect(ok('create-product')).toEqual([['201', { $ref: '#/components/schemas/Product' }]]);
    expect(ok('delete-product')).toEqual([['204', undefined]]);
    expect(ok('clear-basket')).toEqual([['204', undefined]]);
    expect(ok('get-basket')).toEqual([['200', { $ref: '#/components/schemas/Basket' }]]);
    const pay = opOf('process-payment').responses;
    expect(Object.keys(pay).filter((s) => Number(s) < 400 || s === '402')).toEqual(['201', '402']);
    expect((pay['402'] as Response).content?.['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Payment',
    });
    // Statuses of their own are said for exactly the functions that have restStatus.
    const own = Object.entries(registry).filter(([, d]) => 'restStatus' in d && d.restStatus);
    expect(Object.keys(restStatuses).sort()).toEqual(own.map(([n]) => n).sort());
    expect(doc.components.schemas.Money).toMatchObject({
      properties: { amount_minor: { type: 'integer' }, currency: { type: 'string' } },
      required: ['amount_minor', 'currency'],
      additionalProperties: false,
    });
  });

  it('describes the error body once, and each error response with the codes the route can answer at that status', () => {
    expect(doc.components.schemas.Error).toMatchObject({
      required: ['error'],
      properties: { error: { required: ['code', 'message'], properties: { field: { type: 'string' } } } },
    });
    expect((doc.components.schemas.ErrorCode as { enum: string[] }).enum).toEqual(Object.keys(errorTable));
    for (const [key, op] of ops) {
      const errors = Object.entries(op.responses).filter(([s]) => Number(s) >= 400 && s !== '402');
      for (const [status, response] of errors)
        for (const code of codesOf(doc, response))
          expect(errorTable[code].http, `${key} ${status} ${code}`).toBe(Number(status));
      const statuses = errors.map(([s]) => Number(s));
      expect(statuses, key).toEqual(expect.arrayContaining([400, 401, 429, 500, 503, 504]));
      if (op['x-access'] !== 'public') expect(statuses, key).toContain(403);
      if (key.startsWith('POST') || key.startsWith('PUT'))
        expect(statuses, key).toEqual(expect.arrayContaining([413, 415]));
    }
    expect(codes('get-product')).toContain('not_found');
    expect(codes('list-products')).not.toContain('not_found');
    expect(codes('list-products')).not.toContain('forbidden');
    expect(codes('adjust-stock')).toEqual(expect.arrayContaining(['not_found', 'insufficient_stock']));
    expect(codes('add-to-basket')).toEqual(expect.arrayContaining(['not_found', 'insufficient_stock', 'conflict']));
    expect(codes('process-payment')).toEqual(
      expect.arrayContaining(['basket_empty', 'insufficient_stock', 'payment_in_progress', 'idempotency_key_reused']),
    );
    expect(codes('refund-payment')).toEqual(expect.arrayContaining(['not_found', 'refund_not_allowed']));
    expect(resolve(doc, opOf('get-product').responses['429']!).headers).toHaveProperty('Retry-After');
    // Every code a function's code visibly throws is among those its operation says.
    for (const { name } of tableRoutes) {
      const thrown = [...codesThrownBy(modules[name as keyof FunctionModules])];
      expect(codes(name), name).toEqual(expect.arrayContaining(thrown));
    }
  });
});
