import { requireInfra } from './infra.ts';
import type { Sql } from '../../platform/sql/sql.ts';
import { usePglite } from './use-pglite.ts';
import { usePostgres } from './use-postgres.ts';

/** A contract suite over a store: adapter name, a factory for a fresh store, whether to run. */
type Contract<S> = (adapter: string, make: () => Promise<S>, enabled?: boolean) => void;

/** Runs a store's contract on its memory adapter, on PGlite and on PostgreSQL (when reachable). */
export async function onEveryStoreAdapter<S>(
  contract: Contract<S>,
  memory: () => S,
  onSql: (sql: Sql) => S,
): Promise<void> {
  contract('memory', async () => memory());
  const pglite = usePglite();
  contract('PGlite', async () => onSql(await pglite.fresh()));
  const hasPostgres = await requireInfra('postgres');
  const postgres = usePostgres(hasPostgres);
  contract('PostgreSQL', async () => onSql(await postgres.fresh()), hasPostgres);
}
