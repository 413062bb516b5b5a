import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { freePorts } from '../../test/support/infra.ts';

/**
 * The README's screenshots (docs/screenshots/): the storefront (catalog, basket at checkout, a
 * payment with the effects of `payment-completed`) and the API reference, taken in Debian's
 * Chromium (scripts/browser/install.sh) from the shop as `npm start` runs it, on a fresh database.
 * `npm run screenshots`.
 */
const root = new URL('../..', import.meta.url).pathname;
const out = join(root, 'docs/screenshots');
const chromiumPath = execFileSync('bash', [join(root, 'scripts/browser/install.sh')], { encoding: 'utf8' }).trim();
const [port] = await freePorts(1);
const url = `http://127.0.0.1:${port}`;
const dataDir = await mkdtemp(join(tmpdir(), 'daprps-screenshots-'));

// The shop as `npm start` has it: the development secret, so the development sign-in is on.
const { JWT_SECRET: _s, JWT_JWKS_URL: _j, AUTH: _a, NODE_ENV: _n, ...env } = process.env;
const shop = spawn(join(root, 'node_modules/.bin/tsx'), ['gateway/main.ts'], {
  cwd: root,
  env: { ...env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const browser = await chromium.launch({ executablePath: chromiumPath });
try {
  for (let i = 0; ; i++) {
    if ((await fetch(`${url}/health/ready`).catch(() => undefined))?.ok) break;
    if (i > 300 || shop.exitCode !== null) throw new Error('the shop did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  await mkdir(out, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1200, height: 820 } });
  const shot = (name: string, p: Page = page) => p.screenshot({ path: join(out, `${name}.png`) });

  await page.goto(`${url}/`);
  await page.getByLabel('User name').fill('alice');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#signed-in-user').getByText('alice').waitFor();
  for (const [id, quantity] of [
    ['kettle', '2'],
    ['french-press', '1'],
  ] as const) {
    await page.goto(`${url}/#/product/${id}`);
    await page.getByLabel('Quantity').fill(quantity);
    await page.getByRole('button', { name: 'Add to basket' }).click();
    await page.getByRole('status').getByText('Added').waitFor();
  }
  await page.goto(`${url}/#/?category=kitchen`);
  await page.getByRole('heading', { name: 'Catalog: kitchen' }).waitFor();
  await shot('storefront-catalog');

  await page.goto(`${url}/#/basket`);
  await page.getByLabel('Fill in a test card').selectOption('approved');
  await page.getByLabel('Name on the card').fill('Alice Doe');
  await shot('storefront-basket');

  await page.getByRole('button', { name: 'Pay now' }).click();
  await page.locator('#basket-emptied').waitFor();
  await page.locator('#stock-french-press').waitFor();
  await shot('storefront-payment');

  await page.goto(`${url}/docs`);
  await page.locator('.opblock').first().waitFor();
  await shot('api-reference');
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  shop.kill('SIGTERM');
  await new Promise((r) => shop.once('exit', r));
  await rm(dataDir, { recursive: true, force: true });
}
