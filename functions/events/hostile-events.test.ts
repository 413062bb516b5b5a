import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIDECAR_TOKEN, testApp, testSigner } from '../../test/support/function-app.ts';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { paymentCompleted } from '../../test/support/test-events.ts';
import { hostilePaymentCompleted } from '../../test/support/hostile-events.ts';

const products = ['mug', 'kettle'];
const WINDOW_KINDS = ['past the replay window', 'from the future', 'no time or not RFC 3339'];
const fromKafka = { 'dapr-api-token': SIDECAR_TOKEN, __topic: 'payment-completed', __key: 'hostile' };

describe('hostile payment-completed events, in memory (the real-daprd run is in test/support/dapr-trust-tests.ts)', () => {
  it('never take stock nor answer a 5xx, whichever kind, directly or as a Kafka delivery', async () => {
    const deps = testDeps();
    await deps.products.insert(products.map((id) => aProduct({ id, stock: 50 })));
    const a = testApp(['product/on-payment-completed'], deps);
    // Written at the present of the app's clock (testDeps): applied once, the rest are its variations.
    const applied = testSigner.sign(paymentCompleted('applied', 'buyer', [{ product_id: 'mug', quantity: 1 }]));
    expect((await a.request('POST', '/product-payment-completed', applied, fromKafka)).status).toBe(200);
    const stock = async () => Promise.all(products.map(async (id) => (await deps.products.get(id))?.stock));
    const before = await stock();
    expect(before).toEqual([49, 50]);
    const kinds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        hostilePaymentCompleted(applied, products, applied.id, testSigner),
        fc.boolean(),
        async (h, viaKafka) => {
          kinds.add(h.kind);
          const headers = viaKafka ? fromKafka : { 'dapr-api-token': SIDECAR_TOKEN };
          const res = await a.request('POST', '/product-payment-completed', h.body, headers);
          expect(res.status, `${h.kind}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
          // An applied id again is a repeat (SUCCESS, nothing changed); an event outside the window is refused.
          if (res.status === 200) expect(res.body.status, h.kind).toMatch(/^(DROP|SUCCESS)$/);
          if (WINDOW_KINDS.includes(h.kind))
            expect(res.status === 400 || res.body.status === 'DROP', h.kind).toBe(true);
        },
      ),
      { numRuns: 150, seed: 7 },
    );
    expect(await stock()).toEqual(before);
    for (const kind of WINDOW_KINDS) expect([...kinds], kind).toContain(kind);
  }, 60_000);
});
