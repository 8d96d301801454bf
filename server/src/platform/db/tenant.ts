import type pg from "pg";
import type { PrismaClient } from "../../generated/prisma/client";
import { Prisma } from "../../generated/prisma/client";
import { appPoolOf, claimConnection, lendConnection } from "./client";

type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

function setTenant(client: Tx | PrismaClient, tenantId: string) {
  return client.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
}

/**
 * A client scoped to one tenant: every operation, raw queries included, runs in a transaction that first
 * names the tenant, so row-level security filters it even where the code forgets its `where`.
 */
export function scopedClient(prisma: PrismaClient, tenantId: string) {
  return prisma.$extends({
    name: "tenant-scope",
    query: {
      async $allOperations({ args, query }) {
        const [, result] = await prisma.$transaction([setTenant(prisma, tenantId), query(args)]);
        return result;
      },
    },
  });
}

export type ScopedClient = ReturnType<typeof scopedClient>;

/** What a request holds: the tenant, its scoped client, and interactive transactions with the tenant set. */
export interface TenantDb {
  readonly tenantId: string;
  readonly client: ScopedClient;
  /**
   * Runs `fn` in one interactive transaction on the unscoped client with the tenant set first; calls on the
   * scoped client inside it would escape the transaction, so `fn` must use only `tx`.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: { timeout?: number; maxWait?: number }): Promise<T>;
  /**
   * One statement straight through node-postgres (its types: numeric as text, json parsed), in the tenant's
   * transaction, for hot read paths where Prisma's mapping costs more than the query.
   */
  sql<T extends pg.QueryResultRow>(query: Prisma.Sql): Promise<T[]>;
}

/** Runs `fn` on the connection of a new transaction that named the tenant. */
function onTenantConnection<T>(prisma: PrismaClient, tenantId: string, fn: (c: pg.PoolClient) => Promise<T>) {
  return claimConnection((claimed) =>
    prisma.$transaction(async () => {
      const connection = claimed();
      await connection.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
      return fn(connection);
    }),
  );
}

export function tenantDb(prisma: PrismaClient, tenantId: string): TenantDb {
  // Made on first use: extending the client costs a request more than the statements of a pinned query.
  let client: ScopedClient | undefined;
  return {
    tenantId,
    get client() {
      client ??= scopedClient(prisma, tenantId);
      return client;
    },
    transaction(fn, options) {
      return prisma.$transaction(
        async (tx) => {
          await setTenant(tx, tenantId);
          return fn(tx);
        },
        { timeout: options?.timeout ?? 30_000, maxWait: options?.maxWait ?? 10_000 },
      );
    },
    sql(query) {
      return onTenantConnection(
        prisma,
        tenantId,
        async (c) => (await c.query(query.text, query.values)).rows,
      );
    },
  };
}

/**
 * A request's TenantDb. Until `pin()` it behaves as `tenantDb`; after it, every call (on `client` and in
 * `transaction`) runs in one transaction that named the tenant once, until `unpin()` commits it. A GraphQL
 * query pins for its whole execution: one connection and one transaction instead of one per call.
 */
export interface RequestTenantDb extends TenantDb {
  pin(): Promise<void>;
  unpin(): Promise<void>;
}

interface Pinned {
  connection: pg.PoolClient;
  /** The Prisma transaction on the same connection, opened on the first Prisma call. */
  tx(): Promise<Tx>;
  /** The end of the last nested transaction: savepoints are a stack, so nested ones run one at a time. */
  nested: Promise<unknown>;
  finish(): Promise<void>;
}

// A pinned operation ends far sooner; this bounds one that does not (its later calls then fail).
const PINNED_TIMEOUT_MS = 60_000;

/**
 * Opens Prisma's interactive transaction on `connection`, whose transaction is already open with the tenant
 * set; Prisma's COMMIT (or ROLLBACK, on its timeout) ends that transaction.
 */
function prismaOnConnection(prisma: PrismaClient, connection: pg.PoolClient) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let opened!: (tx: Tx) => void;
  const tx = new Promise<Tx>((resolve) => {
    opened = resolve;
  });
  const done = lendConnection(connection, () =>
    prisma.$transaction(
      async (t) => {
        opened(t);
        await released;
      },
      { timeout: PINNED_TIMEOUT_MS, maxWait: 10_000 },
    ),
  );
  return {
    tx: Promise.race([tx, done.then(() => Promise.reject(new Error("the pinned transaction ended")))]),
    async finish() {
      release();
      await done;
    },
  };
}

/**
 * Opens the pinned transaction straight on node-postgres: BEGIN, the role and the tenant in one round trip,
 * where Prisma's interactive transaction takes two and its engine's work per statement. A Prisma call joins it
 * on first use, on the same connection.
 */
async function openPinned(prisma: PrismaClient, pool: pg.Pool, tenantId: string): Promise<Pinned> {
  const connection = await pool.connect();
  try {
    await connection.query(
      `BEGIN; SELECT set_config('app.tenant_id', ${connection.escapeLiteral(tenantId)}, true)`,
    );
  } catch (error) {
    connection.release(error instanceof Error ? error : true);
    throw error;
  }
  let onPrisma: ReturnType<typeof prismaOnConnection> | undefined;
  // A pinned query that never ends holds its connection; as with Prisma's timeout, its later calls then fail.
  const timer = setTimeout(() => {
    connection.release(new Error("a pinned transaction outlived its timeout"));
    ended = true;
  }, PINNED_TIMEOUT_MS);
  timer.unref();
  let ended = false;
  return {
    connection,
    tx() {
      onPrisma ??= prismaOnConnection(prisma, connection);
      return onPrisma.tx;
    },
    nested: Promise.resolve(),
    async finish() {
      clearTimeout(timer);
      if (ended) throw new Error("a pinned transaction outlived its timeout");
      ended = true;
      try {
        if (onPrisma) await onPrisma.finish();
        else await connection.query("COMMIT");
      } catch (error) {
        connection.release(error instanceof Error ? error : true);
        throw error;
      }
      connection.release();
    },
  };
}

/**
 * The scoped client's face for a pinned transaction whose Prisma side opens on first use: each model method and
 * `$` method waits for it, then runs on it. (Prisma's fluent relation calls are not offered.)
 */
function deferredClient(tx: () => Promise<Tx>): ScopedClient {
  type Any = Record<string, (...args: unknown[]) => unknown>;
  const models = new Map<string | symbol, unknown>();
  return new Proxy({} as ScopedClient, {
    get(_, name) {
      if (name === "then") return undefined;
      if (typeof name === "string" && name.startsWith("$"))
        return (...args: unknown[]) => tx().then((t) => (t as unknown as Any)[name]!(...args));
      let model = models.get(name);
      if (!model) {
        model = new Proxy(
          {},
          {
            get(__, method) {
              if (method === "then") return undefined;
              return (...args: unknown[]) =>
                tx().then((t) =>
                  (t as unknown as Record<string | symbol, Any>)[name]![method as string]!(...args),
                );
            },
          },
        );
        models.set(name, model);
      }
      return model;
    },
  });
}

function openPrismaPinned(prisma: PrismaClient, tenantId: string): Promise<Pinned> {
  return new Promise((opened, failed) => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const done = claimConnection((claimed) =>
      prisma.$transaction(
        async (tx) => {
          // Straight on the transaction's connection: Prisma's round of compiling a statement costs more than it.
          const connection = claimed();
          await connection.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
          const ready = Promise.resolve(tx);
          opened({
            connection,
            tx: () => ready,
            nested: Promise.resolve(),
            finish: async () => {
              release();
              await done;
            },
          });
          await released;
        },
        { timeout: PINNED_TIMEOUT_MS, maxWait: 10_000 },
      ),
    );
    done.catch(failed);
  });
}

export function requestTenantDb(prisma: PrismaClient, tenantId: string): RequestTenantDb {
  const unpinned = tenantDb(prisma, tenantId);
  const pool = appPoolOf(prisma);
  let pinned: Pinned | undefined;
  let pinnedClient: ScopedClient | undefined;
  return {
    tenantId,
    get client() {
      if (!pinned) return unpinned.client;
      // The transaction client has every model and raw method the scoped client has.
      pinnedClient ??= deferredClient(pinned.tx);
      return pinnedClient;
    },
    async transaction(fn, options) {
      if (!pinned) return unpinned.transaction(fn, options);
      // Inside the pinned transaction a nested one is a savepoint: it still rolls back on its own. Resolvers
      // run side by side, so each waits for the one before it; savepoints nest, they do not interleave.
      const current = pinned;
      const run = current.nested.then(async () => {
        const tx = await current.tx();
        await tx.$executeRawUnsafe("SAVEPOINT nested");
        try {
          const result = await fn(tx);
          await tx.$executeRawUnsafe("RELEASE SAVEPOINT nested");
          return result;
        } catch (error) {
          await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT nested");
          throw error;
        }
      });
      current.nested = run.catch(() => undefined);
      return run;
    },
    async sql(query) {
      if (!pinned) return unpinned.sql(query);
      return (await pinned.connection.query(query.text, query.values)).rows;
    },
    async pin() {
      pinned ??= await (pool ? openPinned(prisma, pool, tenantId) : openPrismaPinned(prisma, tenantId));
      pinnedClient = undefined;
    },
    async unpin() {
      const current = pinned;
      pinned = undefined;
      pinnedClient = undefined;
      await current?.finish();
    },
  };
}

export type { Tx };
export { Prisma };
