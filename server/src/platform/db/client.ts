import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { parse } from "pg-connection-string";
import { PrismaClient } from "../../generated/prisma/client";

/** The role every request's queries run as: owns nothing, cannot bypass row-level security. */
export const APP_ROLE = "inventory_app";

/** The role identity lookups run as (before a request knows its tenant): sees only the identity tables. */
export const AUTH_ROLE = "inventory_auth";

const TRANSACTION_START = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const TRANSACTION_END = /^\s*(COMMIT|END|ABORT|ROLLBACK(?!\s+TO\b))\b/i;

/** Statements an application-role pool wrapped in a transaction of their own (sent outside any). */
export const untransacted = { count: 0 };

type Callback = (error: Error | null, result?: unknown) => void;

/**
 * A connection that runs every statement as `role` without a startup parameter (which a transaction-mode
 * PgBouncer refuses): each BEGIN goes out as `BEGIN; SET LOCAL ROLE ...` in the same round trip, and a
 * statement sent outside a transaction gets one of its own, pipelined (one round trip). So nothing runs as
 * the login role, and the role ends with each transaction: a server connection shared through the pooler
 * carries no role from one client to the next.
 */
function roleClient(role: string): typeof pg.Client {
  const setRole = `SET LOCAL ROLE ${pg.escapeIdentifier(role)}`;
  class RoleClient extends pg.Client {
    /** Whether the last statement queued leaves the connection inside a transaction. */
    private inTransaction = false;

    // biome-ignore lint/suspicious/noExplicitAny: node-postgres' query has a dozen overloads; this wraps them all
    override query(config: any, values?: any, callback?: any): any {
      // With nothing in flight the server's own answer is the truth (a transaction a failed COMMIT ended, ...).
      if ((this as unknown as { readyForQuery: boolean }).readyForQuery)
        this.inTransaction = this.getTransactionStatus() !== "I";
      const text: unknown = typeof config === "string" ? config : config?.text;
      if (typeof text !== "string" || typeof config?.submit === "function") {
        // Cursors and streams: only inside a transaction, where the role is already set.
        if (!this.inTransaction) throw new Error(`${role}: a cursor or stream needs a transaction`);
        return super.query(config, values, callback);
      }
      if (TRANSACTION_START.test(text)) {
        this.inTransaction = true;
        const begin = typeof config === "string" ? { text: config } : config;
        return this.reply(
          super
            .query({ ...begin, text: `${text}; ${setRole}` })
            .then((r: unknown) => (Array.isArray(r) ? r[0] : r)),
          values,
          callback,
        );
      }
      if (this.inTransaction) {
        if (TRANSACTION_END.test(text)) this.inTransaction = false;
        return super.query(config, values, callback);
      }
      untransacted.count++;
      // Three messages, one round trip: if BEGIN or the role fails, the statement meets an aborted transaction.
      // Pipelined only for these three (pipeline mode refuses the COPY streams a transaction may use).
      const args = typeof values === "function" ? [] : [values];
      const self = this as unknown as { pipeline: boolean };
      self.pipeline = true;
      const opened = super.query(`BEGIN; ${setRole}`);
      const ran = super.query(config, ...args);
      const closed = super.query("COMMIT");
      const all = Promise.all([opened, ran, closed]).finally(() => {
        self.pipeline = false;
      });
      return this.reply(
        all.then(([, result]) => result),
        values,
        callback,
      );
    }

    private reply(result: Promise<unknown>, values: unknown, callback: unknown) {
      const cb = (typeof values === "function" ? values : callback) as Callback | undefined;
      if (!cb) return result;
      result.then(
        (r) => cb(null, r),
        (e: Error) => cb(e),
      );
      return undefined;
    }
  }
  return RoleClient;
}

function poolConfig(url: string, max: number, role?: string): pg.PoolConfig {
  const c = parse(url);
  return {
    host: c.host ?? undefined,
    port: c.port ? Number(c.port) : undefined,
    user: c.user,
    password: c.password,
    database: c.database ?? undefined,
    max,
    ...(role ? { Client: roleClient(role) } : {}),
  };
}

export type Prisma = PrismaClient;

/** Where a connection handed out inside `claimConnection` is left for its caller. */
interface Claim {
  client?: pg.PoolClient;
  /** A connection already in a transaction that the next `connect` hands out instead of a new one. */
  lent?: pg.PoolClient;
}
const claims = new AsyncLocalStorage<Claim>();

/**
 * A pool that tells `claimConnection` which connection it handed out: the one a Prisma interactive
 * transaction runs on, so statements sent straight through node-postgres join that transaction.
 */
class ClaimingPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (
      err: Error | undefined,
      client: pg.PoolClient | undefined,
      done: (release?: unknown) => void,
    ) => void,
  ): void;
  override connect(callback?: Parameters<pg.Pool["connect"]>[0]): Promise<pg.PoolClient> | void {
    if (callback) return super.connect(callback);
    const claim = claims.getStore();
    if (claim?.lent && !claim.client) {
      claim.client = lentConnection(claim.lent);
      return Promise.resolve(claim.client);
    }
    return super.connect().then((client) => {
      if (claim && !claim.client) claim.client = client;
      return client;
    });
  }
}

/**
 * Runs `start`, which opens one interactive transaction of a Prisma client over a claiming pool; inside that
 * transaction `claimed()` answers the node-postgres connection it runs on.
 */
export function claimConnection<T>(start: (claimed: () => pg.PoolClient) => T): T {
  const claim: Claim = {};
  return claims.run(claim, () =>
    start(() => {
      if (!claim.client) throw new Error("the transaction took no connection from a claiming pool");
      return claim.client;
    }),
  );
}

/**
 * `client` as a Prisma transaction sees it: its BEGIN is answered here (the connection's transaction is already
 * open, with the tenant set) and its release is left to the lender; its COMMIT or ROLLBACK ends the transaction.
 */
function lentConnection(client: pg.PoolClient): pg.PoolClient {
  const begun = Promise.resolve({ command: "BEGIN", rowCount: 0, rows: [], fields: [] });
  return new Proxy(client, {
    get(target, prop) {
      if (prop === "release") return () => {};
      if (prop === "query")
        // biome-ignore lint/suspicious/noExplicitAny: passes node-postgres' overloads through untouched
        return (config: any, ...rest: any[]) =>
          config?.text === "BEGIN" && rest.length === 0 ? begun : target.query(config, ...rest);
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * Like `claimConnection`, but the transaction `start` opens runs on `lent`, a connection already inside a
 * transaction of its caller's.
 */
export function lendConnection<T>(lent: pg.PoolClient, start: () => T): T {
  return claims.run({ lent }, start);
}

const appPools = new WeakMap<PrismaClient, pg.Pool>();

/** The pool a client of `createAppPrisma` runs on, for transactions opened straight on node-postgres. */
export function appPoolOf(prisma: PrismaClient): pg.Pool | undefined {
  return appPools.get(prisma);
}

/** A plain pool whose connections run as the application role, so row-level security applies. */
export function createAppPool(url: string, max: number): pg.Pool {
  return new ClaimingPool(poolConfig(url, max, APP_ROLE));
}

/** A Prisma client whose connections run as the application role, so row-level security applies. */
export function createAppPrisma(url: string, poolSize: number): { prisma: PrismaClient; pool: pg.Pool } {
  const pool = createAppPool(url, poolSize);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  appPools.set(prisma, pool);
  return { prisma, pool };
}

/** A pool for the identity service and shared rate limits, running as the identity role. */
export function createAuthPool(url: string, max = 4): pg.Pool {
  return new pg.Pool(poolConfig(url, max, AUTH_ROLE));
}

/** A plain pool as the database owner: migrations, seeding, readiness. Never used for requests. */
export function createOwnerPool(url: string, max = 2): pg.Pool {
  return new pg.Pool(poolConfig(url, max));
}
