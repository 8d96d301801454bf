import type pg from "pg";
import type { PrismaClient } from "../../generated/prisma/client";
import { Prisma } from "../../generated/prisma/client";
import { claimConnection } from "./client";

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
  tx: Tx;
  connection: pg.PoolClient;
  /** The end of the last nested transaction: savepoints are a stack, so nested ones run one at a time. */
  nested: Promise<unknown>;
  finish(): Promise<void>;
}

// A pinned operation ends far sooner; this bounds one that does not (its later calls then fail).
const PINNED_TIMEOUT_MS = 60_000;

function openPinned(prisma: PrismaClient, tenantId: string): Promise<Pinned> {
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
          opened({
            tx,
            connection,
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
  let pinned: Pinned | undefined;
  return {
    tenantId,
    get client() {
      // The transaction client has every model and raw method the scoped client has.
      return (pinned?.tx ?? unpinned.client) as ScopedClient;
    },
    async transaction(fn, options) {
      if (!pinned) return unpinned.transaction(fn, options);
      // Inside the pinned transaction a nested one is a savepoint: it still rolls back on its own. Resolvers
      // run side by side, so each waits for the one before it; savepoints nest, they do not interleave.
      const { tx } = pinned;
      const run = pinned.nested.then(async () => {
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
      pinned.nested = run.catch(() => undefined);
      return run;
    },
    async sql(query) {
      if (!pinned) return unpinned.sql(query);
      return (await pinned.connection.query(query.text, query.values)).rows;
    },
    async pin() {
      pinned ??= await openPinned(prisma, tenantId);
    },
    async unpin() {
      const current = pinned;
      pinned = undefined;
      await current?.finish();
    },
  };
}

export type { Tx };
export { Prisma };
