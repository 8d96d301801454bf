import pg from "pg";

/**
 * The process's one session connection: LISTEN and the running jobs' advisory locks, the only state a
 * transaction-mode pooler would break, share it, so a process needs one direct connection whatever it runs.
 * When it is lost every holder hears so (listeners reconnect, locks are gone); the next use reconnects.
 */
export class DatabaseSession {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly onConnect = new Set<(client: pg.Client) => Promise<void>>();
  private readonly onLost = new Set<(error: Error) => void>();
  private closed = false;

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

  async close(): Promise<void> {
    this.closed = true;
    this.onLost.clear();
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}
