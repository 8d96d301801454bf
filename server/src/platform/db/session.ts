import pg from "pg";

/** Takes and releases a named advisory lock held across many transactions (one round across processes). */
export interface RoundLock {
  tryLock(name: string): Promise<boolean>;
  unlock(name: string): Promise<void>;
}

/**
 * A round lock on one connection the caller holds: right only on a direct connection, since a
 * transaction-mode pooler would hand the unlock (and the lock's keeping) to another server connection.
 */
export function connectionLock(client: pg.ClientBase): RoundLock {
  return {
    async tryLock(name) {
      const { rows } = await client.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked",
        [name],
      );
      return rows[0]?.locked === true;
    },
    async unlock(name) {
      await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [name]);
    },
  };
}

/**
 * The process's one session connection: LISTEN and the running jobs' advisory locks, the only state a
 * transaction-mode pooler would break, share it, so a process needs one direct connection whatever it runs.
 * When it is lost every holder hears so (listeners reconnect, locks are gone); the next use reconnects.
 */
export class DatabaseSession implements RoundLock {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly onConnect = new Set<(client: pg.Client) => Promise<void>>();
  private readonly onLost = new Set<(error: Error) => void>();
  private closed = false;
  private readonly held = new Set<string>();

  constructor(
    private readonly url: string,
    private readonly applicationName = "inventory-sync-session",
  ) {}

  /** Runs `setup` on every new connection (e.g. LISTEN); returns a function that stops it. */
  whenConnected(setup: (client: pg.Client) => Promise<void>): () => void {
    this.onConnect.add(setup);
    if (this.client) void setup(this.client).catch(() => {});
    return () => this.onConnect.delete(setup);
  }

  /** Calls `fn` when the connection is lost (its session state with it); returns a function that stops it. */
  whenLost(fn: (error: Error) => void): () => void {
    this.onLost.add(fn);
    return () => this.onLost.delete(fn);
  }

  /** The connected client, connecting first when needed. */
  connect(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error("session closed"));
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url, application_name: this.applicationName });
      let lost = false;
      const lose = (error: Error) => {
        if (lost) return;
        lost = true;
        if (this.client === client) this.client = undefined;
        this.held.clear();
        this.connecting = undefined;
        for (const fn of this.onLost) fn(error);
      };
      client.on("error", lose);
      client.on("end", () => lose(new Error("session connection closed")));
      try {
        await client.connect();
        for (const setup of this.onConnect) await setup(client);
      } catch (error) {
        this.connecting = undefined;
        await client.end().catch(() => {});
        throw error;
      }
      this.client = client;
      return client;
    })();
    return this.connecting;
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    const client = await this.connect();
    return client.query<R>(sql, params);
  }

  /**
   * Takes the session advisory lock named `name` unless another session (or another caller in this process,
   * since session locks are re-entrant) holds it; true when taken. A round across processes, one at a time.
   */
  async tryLock(name: string): Promise<boolean> {
    if (this.held.has(name)) return false;
    this.held.add(name);
    try {
      const { rows } = await this.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked",
        [name],
      );
      if (!rows[0]?.locked) this.held.delete(name);
      return rows[0]?.locked === true;
    } catch (error) {
      this.held.delete(name);
      throw error;
    }
  }

  /** Releases a lock `tryLock` took (a lost connection has released it already). */
  async unlock(name: string): Promise<void> {
    if (!this.held.delete(name)) return;
    if (!this.client) return;
    await this.client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [name]).catch(() => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    this.onLost.clear();
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}
