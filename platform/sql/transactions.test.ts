import { describe, expect, it } from 'vitest';
import { requireInfra } from '../../test/support/infra.ts';
import type { Sql } from './sql.ts';
import { usePglite } from '../../test/support/use-pglite.ts';
import { usePostgres } from '../../test/support/use-postgres.ts';

function transactionContract(adapter: string, fresh: () => Promise<Sql>, enabled = true) {
  describe.runIf(enabled)(`transactions on ${adapter}`, () => {
    it('run afterCommit callbacks once committed, when what they wrote is visible, in order', async () => {
      const sql = await fresh();
      const seen: string[] = [];
      const result = await sql.transaction(async (tx) => {
        await tx.query("insert into outbox (event_id, topic, key, event) values ('e1', 't', 'k', '{}')");
        tx.afterCommit(() => seen.push('first'));
        tx.afterCommit(() => seen.push('second'));
        expect(seen).toEqual([]);
        return 42;
      });
      expect(result).toBe(42);
      expect(seen).toEqual(['first', 'second']);
      expect(await sql.query('select event_id from outbox')).toEqual([{ event_id: 'e1' }]);
    });

    it('never run them when the transaction rolls back', async () => {
      const sql = await fresh();
      const seen: string[] = [];
      await expect(
        sql.transaction(async (tx) => {
          await tx.query("insert into outbox (event_id, topic, key, event) values ('e2', 't', 'k', '{}')");
          tx.afterCommit(() => seen.push('committed'));
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(seen).toEqual([]);
      expect(await sql.query('select event_id from outbox')).toEqual([]);
    });
  });
}

const pglite = usePglite();
transactionContract('PGlite', () => pglite.fresh());
const hasPostgres = await requireInfra('postgres');
const postgres = usePostgres(hasPostgres);
transactionContract('PostgreSQL', () => postgres.fresh(), hasPostgres);
