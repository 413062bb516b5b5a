/** Runs queries; rows come back as plain objects. */
export interface SqlQuery {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Runs a script of several statements, without parameters. */
  exec(script: string): Promise<void>;
}

/** Queries inside a transaction. */
export interface SqlTx extends SqlQuery {
  /** Runs `fn` once the transaction has committed (never when it rolls back). */
  afterCommit(fn: () => void): void;
}

/** A subscription to a notification channel (LISTEN). */
export interface Listening {
  /**
   * Whether notifications arrive now: false while the connection that listens is lost (anything
   * may have changed unheard meanwhile).
   */
  readonly live: boolean;
  close(): Promise<void>;
}

/** The SQL port: PGlite in the embedded default, PostgreSQL through `pg` for real. */
export interface Sql extends SqlQuery {
  /**
   * Listens on `channel` (NOTIFY, from any process): `onChange` runs on each notification, and
   * whenever `live` changes (lost, or listening again), as anything may have changed then.
   */
  listen(channel: string, onChange: () => void): Promise<Listening>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
