import type { Deps } from '../../functions/deps.ts';
import { aProduct, testDeps } from './function-deps.ts';
import { testApp } from './function-app.ts';
import { TEST_CARDS } from '../../functions/payment/provider.ts';

/** A valid card body for tests. */
export const card = (number: string = TEST_CARDS.approved) => ({
  number,
  holder: 'Alice Doe',
  expiry: '12/30',
  cvv: '123',
});

/** An app serving the payment functions, with a mug (stock 5) in stock and 2 mugs in alice's basket. */
export async function checkoutApp(over: Partial<Deps> = {}) {
  const deps = testDeps(over);
  await deps.products.insert([aProduct({ id: 'mug', stock: 5 })]);
  await deps.baskets.add('alice', 'mug', 2);
  return testApp(['process-payment', 'get-payment', 'refund-payment'], deps);
}
