import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildRuntime, type Runtime } from '../functions/build-runtime.ts';
import { routes, type FunctionName, type RequestRoute } from '../functions/routes.ts';
import { testLog } from '../test/support/test-log.ts';
import { loadConfig } from '../platform/config.ts';
import { outcomeOf } from '../test/reliability/figures.ts';
import { saveRecord, type Outcome } from '../test/reliability/record-store.ts';
import { copyPgliteTemplate } from '../test/support/pglite-template.ts';
import { realInfraEnv } from '../test/support/real-infra-env.ts';
import { createGateway, type Gateway } from './create-gateway.ts';
import { dropSchema, GATEWAY_ADMIN } from '../test/support/running-shop.ts';
import { serve, type Server } from '../platform/http/serve.ts';
import { hostileRpc } from '../test/support/hostile-rpc.ts';
import { loneSurrogate, withLoneSurrogate } from '../test/support/lone-surrogates.ts';
import { rawRpcClient, type RawRpcClient } from '../test/support/raw-rpc.ts';

/** The functions reached by a request (not an event) in the route table. */
type RequestFunction = { [N in FunctionName]: (typeof routes)[N] extends RequestRoute ? N : never }[FunctionName];

/**
 * A valid input of every request function, as REST JSON (path parameters included): typed by the
 * route table, so a function added there does not build until it has one here.
 */
const valid: Record<RequestFunction, Record<string, unknown>> = {
  'list-products': { category: 'kitchen', limit: 10, offset: 0 },
  'get-product': { id: 'kettle' },
  'create-product': {
    name: 'Mug',
    description: 'A mug',
    category: 'kitchen',
    price: { amount_minor: 900, currency: 'USD' },
    stock: 5,
  },
  'update-product': { id: 'kettle', name: 'Kettle', price: { amount_minor: 5900, currency: 'USD' } },
  'delete-product': { id: 'notebook' },
  'adjust-stock': { id: 'kettle', delta: -1 },
  'get-basket': { user_id: 'alice' },
  'add-to-basket': { user_id: 'alice', product_id: 'kettle', quantity: 1 },
  'remove-from-basket': { user_id: 'alice', product_id: 'kettle', quantity: 1 },
  'clear-basket': { user_id: 'alice' },
  'process-payment': {
    user_id: 'alice',
    card: { number: '4242424242424242', holder: 'A B', expiry: '12/30', cvv: '123' },
  },
  'get-payment': { id: 'p1' },
  'refund-payment': { id: 'p1', amount_minor: 100, reason: 'x' },
  'reconcile-payments': { pending_older_than_seconds: 60 },
};

/** Values nobody should send: wrong types, extremes, very long or odd strings, SQL, nesting. */
const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  // Text that is not well-formed UTF-16: lone surrogates among other characters.
  fc.string({ unit: fc.oneof(loneSurrogate, fc.string({ minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 20 }),
  fc.constantFrom(
    "'; drop table products; --",
    '1 OR 1=1',
    '%00',
    '../../etc/passwd',
    '\u0000',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚀',
    'x'.repeat(70_000),
    ' ',
    '',
  ),
  fc.integer(),
  fc.constantFrom(0, -1, -2_147_483_649, 2_147_483_648, 2 ** 53, -(2 ** 63), 1e308, -1e308, 0.5, Number.MIN_VALUE),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }),
);

/** A field's value: kept, made hostile, or dropped; nested objects (price, card) likewise. */
const mutated = (value: unknown): fc.Arbitrary<unknown> =>
  value && typeof value === 'object'
    ? fc.oneof(hostile, fc.record(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mutated(v)]))))
    : fc.oneof(
        { weight: 1, arbitrary: fc.constant(value) },
        { weight: 3, arbitrary: hostile },
        { weight: 1, arbitrary: fc.constant(undefined) },
      );

/** A body: the valid input with fields mutated, or something that is no JSON object at all. */
const body = (input: Record<string, unknown>) =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .record(Object.fromEntries(Object.entries(input).map(([k, v]) => [k, mutated(v)])))
        .map((b) => JSON.stringify(b)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{not json',
        '',
        'null',
        '[]',
        '"text"',
        '42',
        `{"a":${'['.repeat(5000)}`,
        `{"name":"${'x'.repeat(100_000)}"}`,
      ),
    },
    { weight: 1, arbitrary: fc.jsonValue().map((j) => JSON.stringify(j)) },
    // The valid input but for a lone surrogate at the end of one of its strings: refused for that alone.
    ...withLoneSurrogate(input).map((arbitrary) => ({ weight: 1, arbitrary: arbitrary.map((b) => JSON.stringify(b)) })),
  );

/** The REST request for a route: path parameters from the input (or hostile), the rest as query or body. */
function request(route: RequestRoute, input: Record<string, unknown>, text: string) {
  let fields: Record<string, unknown> = {};
  try {
    fields = JSON.parse(text) ?? {};
  } catch {}
  const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const text_ = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  // A URL cannot carry a lone surrogate (percent-encoding is of UTF-8): it goes as U+FFFD.
  const path = route.path.replace(/:(\w+)/g, (_, p: string) =>
    encodeURIComponent(
      text_(typeof fields === 'object' && fields && p in fields ? (fields as any)[p] : input[p]).toWellFormed(),
    ),
  );
  if (route.method === 'GET' || route.method === 'DELETE') {
    const query =
      typeof fields === 'object' && fields && !Array.isArray(fields)
        ? new URLSearchParams(
            Object.entries(fields)
              .filter(([k]) => !params.includes(k))
              .map(([k, v]): [string, string] => [k, text_(v)]),
          ).toString()
        : '';
    return { path: query ? `${path}?${query}` : path, init: { method: route.method } };
  }
  return {
    path,
    init: {
      method: route.method,
      body: text,
      // A key per body: the same body again is a retry, another body is not refused for reusing one.
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `hostile-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`,
      },
    },
  };
}

const { ready, env: realEnv } = await realInfraEnv();
const { KAFKA_BROKERS: _brokers, KAFKA_PREFIX: _prefix, ...postgresAndRedis } = realEnv;

/** Whether an answer is the JSON error every refusal carries. */
function isJsonError(text: string): boolean {
  try {
    const e = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    return typeof e?.code === 'string' && typeof e.message === 'string';
  } catch {
    return false;
  }
}

/** The shops the input goes to: the embedded default, and PostgreSQL with Redis (events stay in process). */
const shops = [
  {
    name: 'hostile-input' as const,
    label: 'embedded default: PGlite, baskets in memory',
    enabled: true,
    env: async (dir: string) => {
      await copyPgliteTemplate(dir);
      return { DATA_DIR: dir };
    },
    cleanUp: async () => {},
  },
  {
    name: 'hostile-input-real' as const,
    label: 'PostgreSQL and Redis',
    enabled: ready,
    env: async () => postgresAndRedis,
    cleanUp: () => dropSchema(postgresAndRedis),
  },
];

// The type says so to the compiler; this says so to a run that does not type-check (vitest alone).
it('has a valid input of every request function of the route table, and of no other', () => {
  const requestFunctions = Object.entries(routes).filter(([, r]) => r.kind === 'request');
  expect(Object.keys(valid).sort()).toEqual(requestFunctions.map(([name]) => name).sort());
});

for (const shop of shops)
  describe.runIf(shop.enabled)(
    `hostile input never gets a 5xx and a refusal changes nothing (property-based, ${shop.label})`,
    () => {
      let runtime: Runtime;
      let gateway: Gateway;
      let server: Server;
      let rpc: RawRpcClient;
      let dir = '';
      beforeAll(async () => {
        dir = await mkdtemp(join(tmpdir(), 'daprps-hostile-'));
        const config = loadConfig({
          ...(await shop.env(dir)),
          ADMIN_TOKEN: GATEWAY_ADMIN,
          LOG_LEVEL: 'silent',
          RATE_LIMIT_BURST: '1000000',
        });
        runtime = await buildRuntime(config, testLog, { relay: false });
        gateway = createGateway(config, testLog, runtime);
        // RPCs go to a served port: gRPC needs HTTP/2.
        const { bodyLimitBytes: readMaxBytes } = config;
        server = await serve({ fetch: gateway.app.fetch, rpc: gateway.rpc, readMaxBytes, port: 0, host: '127.0.0.1' });
        rpc = rawRpcClient(`http://127.0.0.1:${server.port}`);
      });
      const seen = { requests: 0, rpcs: 0, refused: 0, accepted: 0, failures: 0, routes: new Set<string>() };
      let differences: number | undefined;
      // The suite's outcome: its first failing test, if any.
      let outcome: Outcome = { passed: true };
      afterAll(async () => {
        rpc?.close();
        await server?.close();
        await runtime?.close();
        await rm(dir, { recursive: true, force: true });
        await shop.cleanUp();
        await saveRecord(
          shop.name,
          {
            runs: seen.requests,
            failures: seen.failures,
            differences,
            note: `${seen.routes.size} routes, property-based (fast-check), ${seen.rpcs} of the requests over Connect, gRPC and gRPC-Web (binary and JSON, HTTP/1.1 and HTTP/2): ${seen.refused} refused with a 4xx, ${seen.accepted} valid enough to be served`,
          },
          outcome,
        );
      });

      /** What a refused request must leave alone: the catalog, two baskets, the outbox. */
      const state = async () =>
        JSON.stringify([
          await runtime.deps.products.list({ limit: 100, offset: 0 }),
          await runtime.deps.baskets.get('alice'),
          await runtime.deps.baskets.get('bob'),
          await runtime.deps.payments.pending(1000),
        ]);

      /**
       * Counts an answer, and fails the case on a 5xx, on a refusal without a well-formed error,
       * and on a refusal that changed something (`before`: the state before the request).
       */
      async function judge(name: string, what: string, status: number, wellFormedError: boolean, before: string) {
        seen.requests++;
        seen.routes.add(name);
        if (status >= 500) seen.failures++;
        else if (status >= 400) seen.refused++;
        else seen.accepted++;
        expect(status, what).toBeLessThan(500);
        if (status < 400) return;
        if (!wellFormedError) seen.failures++;
        expect(wellFormedError, `${what}: a refusal without a well-formed error`).toBe(true);
        const after = await state();
        if (after !== before) seen.failures++;
        expect(after, what).toBe(before);
      }

      for (const [name, input] of Object.entries(valid)) {
        const route: RequestRoute = routes[name as RequestFunction];
        it(`${name}: 4xx with a JSON error for anything malformed, never 5xx`, async () => {
          onTestFinished(({ task }) => {
            outcome = outcome.passed ? outcomeOf(task) : outcome;
          });
          await fc.assert(
            fc.asyncProperty(body(input), async (text) => {
              const before = await state();
              const { path, init } = request(route, input, text);
              const res = await gateway.app.request(`http://gw${path}`, {
                ...init,
                headers: { ...init.headers, authorization: `Bearer ${GATEWAY_ADMIN}` },
              });
              const answer = await res.text();
              const what = `${init.method} ${path.slice(0, 200)} ${text.slice(0, 300)} → ${answer.slice(0, 300)}`;
              await judge(name, what, res.status, isJsonError(answer), before);
            }),
            { numRuns: 150 },
          );
        }, 120_000);

        it(`${name}: over Connect, gRPC and gRPC-Web, bytes that are no message and ill-formed text are a 4xx, never 5xx`, async () => {
          onTestFinished(({ task }) => {
            outcome = outcome.passed ? outcomeOf(task) : outcome;
          });
          const method = await route.rpc.load();
          const headers = { authorization: `Bearer ${GATEWAY_ADMIN}` };
          await fc.assert(
            fc.asyncProperty(hostileRpc(method.input, input, body(input)), async (call) => {
              const before = await state();
              const answer = await rpc.send(call.via, route.rpc.path, call.body, {
                'content-type': call.contentType,
                ...(call.token ? headers : {}),
              });
              seen.rpcs++;
              const what = `${fc.stringify(call)} → ${JSON.stringify(answer).slice(0, 300)}`;
              // A refusal is the protocol's error, or the edge's JSON error when its middleware
              // refused the call before any protocol (a body over the limit).
              await judge(name, what, answer.status, answer.code !== 'none' || answer.edge !== undefined, before);
            }),
            { numRuns: 100 },
          );
        }, 120_000);
      }

      it("leaves the provider's ledger and the shop's records reconciled, whatever was sent", async () => {
        onTestFinished(({ task }) => {
          outcome = outcome.passed ? outcomeOf(task) : outcome;
        });
        const res = await gateway.app.request('http://gw/api/v1/reconciliation?pending_older_than_seconds=0', {
          headers: { authorization: `Bearer ${GATEWAY_ADMIN}` },
        });
        const body = (await res.json()) as { differences?: unknown[] };
        differences = body.differences?.length;
        expect([res.status, body.differences]).toEqual([200, []]);
      });
    },
  );
