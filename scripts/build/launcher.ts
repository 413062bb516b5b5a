/**
 * The source of dist/main.mjs, the image's entry point (built by scripts/build.ts; it runs only
 * from dist/): with FUNCTION=<name> (or the name as first argument) it imports that function's
 * bundle, which serves it; otherwise the gateway's bundle. A function is named as in the route
 * table (`product/on-payment-completed`) or by its service name (`product-on-payment-completed`).
 */

import { exitOnSignalsUntilHandled } from '../../platform/pid1-signals.ts';

/** Service name by function name (the route table's names); defined by the build. */
declare const SERVICE_NAMES: Record<string, string>;

exitOnSignalsUntilHandled();
const wanted = process.argv[2] || process.env.FUNCTION || '';
// Not a string literal: the bundler leaves the import alone, node resolves it next to this file.
const load = (file: string) => import(new URL(file, import.meta.url).href);

if (!wanted) {
  await load('./gateway.mjs');
} else {
  const service = Object.entries(SERVICE_NAMES).find(([name, service]) => wanted === name || wanted === service)?.[1];
  if (!service) {
    console.error(`unknown function "${wanted}"; one of: ${Object.keys(SERVICE_NAMES).join(', ')}`);
    process.exit(1);
  }
  await load(`./functions/${service}.mjs`);
}
