import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.ts';
import { requireChromium } from '../../test/support/browser.ts';
import { devJwtSecret, signToken } from '../../platform/auth.ts';
import { call, startEmbedded, type RunningShop } from '../../test/support/running-shop.ts';

const chromiumPath = requireChromium();

/** How long the page may take to show what a check expects. */
const WAIT = { timeout: 15_000, interval: 50 };

/**
 * Checks on what the page shows, retried until they hold or {@link WAIT} passes (playwright-core
 * has no assertions of its own: those are @playwright/test's, a test runner of its own).
 */
const see = (l: Locator) => ({
  toBeVisible: () => expect.poll(() => l.isVisible(), WAIT).toBe(true),
  toBeHidden: () => expect.poll(() => l.isHidden(), WAIT).toBe(true),
  toHaveText: (text: string) => expect.poll(async () => (await l.textContent())?.trim(), WAIT).toBe(text),
  toContainText: (text: string) => expect.poll(async () => await l.textContent(), WAIT).toContain(text),
  toHaveValue: (value: string) => expect.poll(() => l.inputValue(), WAIT).toBe(value),
  toHaveAttribute: (name: string, value: string) => expect.poll(() => l.getAttribute(name), WAIT).toBe(value),
  notToHaveAttribute: (name: string) => expect.poll(() => l.getAttribute(name), WAIT).toBeNull(),
  toBeFocused: () => expect.poll(() => l.evaluate((el: any) => el === el.ownerDocument.activeElement), WAIT).toBe(true),
  toHaveCount: (count: number, timeout = WAIT.timeout) =>
    expect.poll(() => l.count(), { ...WAIT, timeout }).toBe(count),
});

/** What the page did wrong: CSP violations, uncaught errors. */
interface Watched {
  page: Page;
  problems: string[];
  /** Full page loads (a hash change is none). */
  loads: number;
}

/**
 * A person at the storefront, in a real Chromium (Debian's, through playwright-core): the shop runs
 * in process with the development sign-in on (no JWT_SECRET), as `npm start` has it.
 */
describe.runIf(chromiumPath)('the storefront in a browser', () => {
  let shop: RunningShop;
  let browser: Browser;

  beforeAll(async () => {
    [shop, browser] = await Promise.all([
      startEmbedded({ JWT_SECRET: '' }),
      chromium.launch({ executablePath: chromiumPath!, headless: true }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await shop?.stop();
  });

  /** A new person (their own tab storage) on the page at `path`. */
  async function visit(path = '/'): Promise<Watched> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // A look at an element gives up soon: the checks above retry it.
    context.setDefaultTimeout(5_000);
    const page = await context.newPage();
    const watched: Watched = { page, problems: [], loads: 0 };
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) watched.problems.push(m.text());
    });
    page.on('pageerror', (e) => watched.problems.push(`uncaught: ${e.message}`));
    page.on('load', () => watched.loads++);
    await page.goto(`${shop.url}${path}`);
    return watched;
  }

  /** Signs in with the header's form, by keyboard only. */
  async function signIn(page: Page, user: string) {
    await page.getByLabel('User name').focus();
    await page.keyboard.type(user);
    await page.keyboard.press('Enter');
    await see(page.locator('#signed-in-user')).toHaveText(user);
    await see(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await see(page.getByLabel('User name')).toBeHidden();
  }

  /** The inputs, selects and buttons of the page that have no accessible name (none should). */
  const unnamed = (page: Page) =>
    page.locator('input, select, button, a[href]').evaluateAll((els: any[]) =>
      els
        .filter((e) => e.offsetParent !== null)
        .filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim()))
        .map((e) => e.outerHTML),
    );

  const stockOf = async (id: string) => (await call(`${shop.url}/api/v1/products/${id}`)).body.stock as number;

  /** Adds `quantity` of the product `id` to the basket through its page. */
  async function addToBasket(page: Page, id: string, quantity: number) {
    await page.goto(`${shop.url}/#/product/${id}`);
    await page.getByLabel('Quantity').fill(String(quantity));
    await page.getByRole('button', { name: 'Add to basket' }).click();
    await see(page.getByRole('status')).toContainText(`Added ${quantity}`);
  }

  /** Fills the checkout form with a test card of the select, and pays. */
  async function pay(page: Page, card: 'Approved' | 'Declined' | 'Expired', holder = 'A Person') {
    await page.getByLabel('Fill in a test card').selectOption(card.toLowerCase());
    await page.getByLabel('Name on the card').fill(holder);
    await page.getByRole('button', { name: 'Pay now' }).click();
  }

  let paymentUrl = '';

  it('lets a person browse by category and page, buy, and watch payment-completed take the stock and empty the basket', async () => {
    const person = await visit('/');
    const { page, problems } = person;
    expect(person.loads).toBe(1);
    await see(page.getByRole('heading', { level: 1, name: 'Catalog' })).toBeVisible();
    const products = page.getByRole('list', { name: 'Products' }).getByRole('listitem');
    await see(products).toHaveCount(6);
    const total = (await call(`${shop.url}/api/v1/products?limit=1`)).body.total as number;
    await see(page.getByText(`Page 1 of ${Math.ceil(total / 6)} (${total} products)`)).toBeVisible();
    await page.getByRole('link', { name: 'Next →' }).click();
    await see(page.getByText(`Page 2 of ${Math.ceil(total / 6)}`)).toBeVisible();

    // One category: only its products, paged by the API.
    const categories = page.getByRole('navigation', { name: 'Categories' });
    await categories.getByRole('link', { name: 'kitchen' }).click();
    await see(page.getByRole('heading', { level: 1, name: 'Catalog: kitchen' })).toBeVisible();
    await see(categories.getByRole('link', { name: 'kitchen' })).toHaveAttribute('aria-current', 'page');
    const kitchen = (await call(`${shop.url}/api/v1/products?category=kitchen&limit=100`)).body.products;
    await see(products).toHaveCount(Math.min(6, kitchen.length));
    await see(page.getByRole('link', { name: 'Gooseneck Kettle' })).toBeVisible();

    // Adding without signing in: told to sign in, nothing added.
    await page.getByRole('link', { name: 'Gooseneck Kettle' }).click();
    await see(page.getByRole('heading', { level: 1, name: 'Gooseneck Kettle' })).toBeFocused();
    await page.getByRole('button', { name: 'Add to basket' }).click();
    await see(page.getByRole('alert')).toHaveText('Please sign in first.');

    await signIn(page, 'br-alice');
    const kettleBefore = await stockOf('kettle');
    const pressBefore = await stockOf('french-press');
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to basket' }).click();
    await see(page.locator('#basket-count')).toHaveText('2');
    // A 400 shows next to its input: quantity 0.
    await page.getByLabel('Quantity').fill('0');
    await page.getByRole('button', { name: 'Add to basket' }).click();
    await see(page.getByLabel('Quantity')).toHaveAttribute('aria-invalid', 'true');
    await see(page.locator('#quantity-error')).toHaveText('Must be at least 1');
    await see(page.getByLabel('Quantity')).toBeFocused();
    await addToBasket(page, 'french-press', 1);

    // The basket: lines, quantities and totals; a quantity changed in place.
    await page.getByRole('link', { name: /^Basket/ }).click();
    await see(page.getByRole('heading', { level: 1, name: 'Your basket' })).toBeVisible();
    const kettleQty = page.getByLabel('Quantity of Gooseneck Kettle');
    await see(kettleQty).toHaveValue('2');
    await kettleQty.fill('3');
    await kettleQty.press('Enter');
    await see(page.getByRole('status')).toHaveText('Gooseneck Kettle: quantity 3.');
    await see(page.getByLabel('Quantity of Gooseneck Kettle')).toHaveValue('3');
    await see(page.locator('#basket-total')).toHaveText('$206.00'); // 3 × 59.00 + 29.00
    await see(page.locator('#basket-count')).toHaveText('4');

    expect(await unnamed(page)).toEqual([]);
    await pay(page, 'Approved', 'Alice Doe');
    await see(page.getByRole('heading', { level: 1, name: 'Payment Paid' })).toBeVisible();
    await see(page.locator('#payment-status')).toHaveText('Paid');
    // The event's effects, on the page as they happen, without a reload.
    await see(page.locator('#stock-kettle')).toContainText('Stock of Gooseneck Kettle taken: 3 fewer');
    await see(page.locator('#stock-french-press')).toContainText('Stock of French Press taken: 1 fewer');
    await see(page.locator('#basket-emptied')).toHaveText('Basket emptied.');
    await see(page.locator('#basket-count')).toHaveText('0');
    expect(await stockOf('kettle')).toBe(kettleBefore - 3);
    expect(await stockOf('french-press')).toBe(pressBefore - 1);
    await see(page.locator('#stock-kettle')).toContainText(`${kettleBefore - 3} left`);
    expect(await unnamed(page)).toEqual([]);
    paymentUrl = page.url();
    expect(person.loads).toBe(1); // all of it on the page first loaded: no reload

    await page.getByRole('link', { name: 'Your basket' }).click();
    await see(page.locator('#basket-empty')).toBeVisible();
    expect(problems).toEqual([]);
  }, 60_000);

  it('offers the payer no refund; an admin refunds part, then the rest, and the payer sees it', async () => {
    expect(paymentUrl).not.toBe('');
    const payer = await visit('/');
    await signIn(payer.page, 'br-alice');
    await payer.page.goto(paymentUrl.replace('?watch=1', ''));
    await see(payer.page.locator('#payment-status')).toHaveText('Paid');
    await see(payer.page.getByRole('button', { name: 'Refund' })).toHaveCount(0);

    // The merchant, signed in with an admin's token (as an identity provider would issue it).
    const { page, problems } = await visit('/');
    const token = await signToken(devJwtSecret(), 'br-boss', { admin: true });
    await page.evaluate(
      (s) => sessionStorage.setItem('daprps.session', s),
      JSON.stringify({ user: 'br-boss', token, expires_at: new Date(Date.now() + 3600_000).toISOString() }),
    );
    await page.goto(paymentUrl.replace('?watch=1', ''));
    await see(page.locator('#payment-status')).toHaveText('Paid');
    // Too much: the API's 409, said in the page's alert.
    await page.getByLabel('Amount (USD)').fill('1000');
    await page.getByRole('button', { name: 'Refund' }).click();
    await see(page.locator('#refund-amount-error')).toContainText('exceeds the 20600 left to refund');
    await page.getByLabel('Amount (USD)').fill('abc');
    await page.getByRole('button', { name: 'Refund' }).click();
    await see(page.locator('#refund-amount-error')).toHaveText('Enter an amount like 12.50');
    await page.getByLabel('Amount (USD)').fill('10.00');
    await page.getByLabel('Reason').fill('damaged box');
    await page.getByRole('button', { name: 'Refund' }).click();
    await see(page.locator('#payment-status')).toHaveText('Partly refunded');
    await see(page.locator('#payment-refunded')).toHaveText('$10.00');
    await page.getByRole('button', { name: 'Refund' }).click(); // no amount: the rest
    await see(page.locator('#payment-status')).toHaveText('Refunded');
    await see(page.locator('#payment-refunded')).toHaveText('$206.00');
    await see(page.getByRole('button', { name: 'Refund' })).toHaveCount(0);
    await payer.page.reload();
    await see(payer.page.locator('#payment-status')).toHaveText('Refunded');

    // Another user sees neither the payment nor a refund button.
    const bob = await visit('/');
    await signIn(bob.page, 'br-bob');
    await bob.page.goto(paymentUrl);
    await see(bob.page.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();
    await see(bob.page.getByRole('button', { name: 'Refund' })).toHaveCount(0);
    expect([...problems, ...payer.problems, ...bob.problems]).toEqual([]);
  }, 60_000);

  it('shows a declined card and an expired one as a person would want, the basket kept', async () => {
    const { page, problems } = await visit('/');
    await signIn(page, 'br-carol');
    await addToBasket(page, 'notebook', 1);
    await page.goto(`${shop.url}/#/basket`);
    await pay(page, 'Declined', 'Carol');
    await see(page.getByRole('alert')).toHaveText(
      'The payment failed: card declined. Nothing was charged; your basket is as it was.',
    );
    await see(page.getByLabel('Quantity of Dotted Notebook')).toHaveValue('1');

    await pay(page, 'Expired', 'Carol');
    const expiry = page.getByLabel('Expiry (MM/YY)');
    await see(expiry).toHaveAttribute('aria-invalid', 'true');
    await see(page.locator('#card-expiry-error')).toHaveText('The card has expired');
    await see(expiry).toBeFocused();

    await page.getByLabel('Card number').fill('4242');
    await page.getByLabel('Expiry (MM/YY)').fill('12/30');
    await page.getByRole('button', { name: 'Pay now' }).click();
    await see(page.getByLabel('Card number')).toHaveAttribute('aria-invalid', 'true');
    await see(page.locator('#card-number-error')).toHaveText('Must be 12 to 19 digits');
    await see(page.getByLabel('Expiry (MM/YY)')).notToHaveAttribute('aria-invalid');
    expect((await call(`${shop.url}/api/v1/products/notebook`)).status).toBe(200);
    expect(problems).toEqual([]);
  }, 60_000);

  it('adds once when the answer of an add is lost after the shop applied it and the person adds again', async () => {
    const { page, problems } = await visit('/');
    await signIn(page, 'br-rita');
    const keys: string[] = [];
    await page.route('**/api/v1/baskets/add', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      const response = await route.fetch(); // the shop applies the add…
      if (keys.length === 1) return route.abort('connectionreset'); // …and its answer is lost
      return route.fulfill({ response });
    });
    await page.goto(`${shop.url}/#/product/notebook`);
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to basket' }).click();
    await see(page.getByRole('alert')).toContainText('cannot be reached');
    await page.getByRole('button', { name: 'Add to basket' }).click();
    await see(page.getByRole('status')).toContainText('Added 2');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    await page.unroute('**/api/v1/baskets/add');
    await page.goto(`${shop.url}/#/basket`);
    await see(page.getByLabel('Quantity of Dotted Notebook')).toHaveValue('2');
    expect(problems).toEqual([]);
  }, 60_000);

  it("does not show one user another's basket", async () => {
    const alice = await visit('/');
    await signIn(alice.page, 'br-dana');
    await addToBasket(alice.page, 'kettle', 1);
    const bob = await visit('/');
    await signIn(bob.page, 'br-eve');
    await bob.page.goto(`${shop.url}/#/basket/br-dana`);
    await see(bob.page.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();
    await see(bob.page.getByRole('alert')).toHaveText('Not allowed: user br-eve may not act for user br-dana.');
    await see(bob.page.getByText('Gooseneck Kettle')).toHaveCount(0);
    // Her own basket, she sees.
    await alice.page.goto(`${shop.url}/#/basket/br-dana`);
    await see(alice.page.getByLabel('Quantity of Gooseneck Kettle')).toHaveValue('1');
    expect([...alice.problems, ...bob.problems]).toEqual([]);
  }, 60_000);

  it('loads the API reference with every route of the route table listed', async () => {
    const { page, problems } = await visit('/');
    await page.getByRole('link', { name: 'API reference' }).click();
    await page.waitForURL(`${shop.url}/docs`);
    const table = Object.values(routes).flatMap((r) =>
      r.kind === 'request' ? [`${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`] : [],
    );
    // Swagger UI drew an operation block for each (not the page's own list, which it replaces).
    const blocks = page.locator('.opblock .opblock-summary');
    await see(blocks).toHaveCount(table.length, 15_000);
    const shown: string[] = [];
    for (const block of await blocks.all())
      shown.push(
        `${await block.locator('.opblock-summary-method').textContent()} ${await block.locator('.opblock-summary-path').getAttribute('data-path')}`,
      );
    expect(shown.sort()).toEqual(table.sort());
    expect(problems).toEqual([]);
  }, 60_000);
});
