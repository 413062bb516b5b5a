import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyPgliteTemplate } from '../../test/support/pglite-template.ts';
import { migrate } from '../../platform/sql/migrate.ts';
import { readMigrations } from '../../platform/sql/migration-files.ts';
import { openPglite } from '../../platform/sql/pglite.ts';
import { reconcile } from './reconciliation.ts';
import { sqlPaymentStore } from './sql-store.ts';
import { sqlTestProvider } from './test-provider/sql-provider.ts';

describe('payments made before the provider kept a ledger (migration 006)', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('start the stand-in’s ledger as the shop recorded them: they reconcile, and what is left can be refunded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'daprps-006-'));
    dirs.push(dir);
    await copyPgliteTemplate(dir);
    const sql = await openPglite(dir);
    // The schema as it stood before 006, with a paid, a partly refunded and a failed payment.
    await sql.exec(
      'create table schema_migrations (version text primary key, applied_at timestamptz not null default now())',
    );
    for (const m of (await readMigrations()).filter((m) => m.version < '006')) {
      await sql.exec(m.sql);
      await sql.query('insert into schema_migrations (version) values ($1)', [m.version]);
    }
    const insert = (id: string, status: string, refunded: number) =>
      sql.query(
        `insert into payments (id, order_id, user_id, status, amount_minor, currency, refunded_minor, items, refund_reason, created_at, updated_at)
         values ($1, $2, 'old', $3, 5000, 'USD', $4, '[]', $5, '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')`,
        [id, `o-${id}`, status, refunded, refunded ? 'damaged' : ''],
      );
    await insert('paid', 'completed', 0);
    await insert('part', 'partially_refunded', 1500);
    await insert('declined', 'failed', 0);
    expect(await migrate(sql)).toEqual(['006_money_moves_once.sql']);

    const payments = sqlPaymentStore(sql);
    const provider = sqlTestProvider(sql);
    const now = '2026-12-07T00:00:00.000Z';
    expect(reconcile(await provider.ledger(), await payments.records(), 'USD', now, now).differences).toEqual([]);
    expect(
      await provider.refund({ key: 'r1', charge: 'part', amount: { amount_minor: 3501, currency: 'USD' } }),
    ).toMatchObject({
      refunded: false,
    });
    expect(
      await provider.refund({ key: 'r2', charge: 'part', amount: { amount_minor: 3500, currency: 'USD' } }),
    ).toEqual({
      refunded: true,
    });
    expect(
      await provider.refund({ key: 'r3', charge: 'declined', amount: { amount_minor: 1, currency: 'USD' } }),
    ).toMatchObject({ refunded: false });
    await sql.close();
  });
});
