import { loadConfig } from '../platform/config.ts';

/**
 * `npm run reconcile -- [shop URL] [--pending-older-than=<seconds>]`: asks the shop's
 * reconciliation (GET /api/v1/reconciliation, as the admin of ADMIN_TOKEN) and prints it; exits 1
 * when the provider's ledger and the shop's records differ, 2 when it could not ask.
 */
const args = process.argv.slice(2);
const url = args.find((a) => !a.startsWith('--')) ?? 'http://127.0.0.1:8080';
const pending = args.find((a) => a.startsWith('--pending-older-than='))?.split('=')[1] ?? '300';
const cannot = (why: string): never => {
  console.error(`could not reconcile at ${url}: ${why}`);
  process.exit(2);
};
const { adminToken } = loadConfig();
if (!adminToken) cannot('npm run reconcile needs ADMIN_TOKEN (an admin of the shop at the URL)');
const res = await fetch(`${url}/api/v1/reconciliation?pending_older_than_seconds=${pending}`, {
  headers: { authorization: `Bearer ${adminToken}` },
}).catch((e: Error) => cannot(e.message));
const text = await res.text();
if (!res.ok || !res.headers.get('content-type')?.includes('application/json'))
  cannot(`${res.status} ${text.slice(0, 300)}`);
const body = JSON.parse(text) as { differences: unknown[] };
console.log(JSON.stringify(body, null, 2));
const n = body.differences.length;
console.error(
  n ? `${n} difference(s) between the provider's ledger and the shop's records` : 'reconciled: no difference',
);
process.exit(n ? 1 : 0);
