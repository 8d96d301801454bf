import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { parse } from "pg-connection-string";
import { PrismaClient } from "../../generated/prisma/client";

/** The role every request's queries run as: owns nothing, cannot bypass row-level security. */
export const APP_ROLE = "inventory_app";

/** The role identity lookups run as (before a request knows its tenant): sees only the identity tables. */
export const AUTH_ROLE = "inventory_auth";

function poolConfig(url: string, max: number, role?: string): pg.PoolConfig {
  const c = parse(url);
  return {
    host: c.host ?? undefined,
    port: c.port ? Number(c.port) : undefined,
    user: c.user,
    password: c.password,
    database: c.database ?? undefined,
    max,
    // The role is fixed at connection start, before any query can run.
    options: role ? `-c role=${role}` : undefined,
  };
}

export type Prisma = PrismaClient;

/** Where a connection handed out inside `claimConnection` is left for its caller. */
interface Claim {
  client?: pg.PoolClient;
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

/** A plain pool whose connections run as the application role, so row-level security applies. */
export function createAppPool(url: string, max: number): pg.Pool {
  return new ClaimingPool(poolConfig(url, max, APP_ROLE));
}

/** A Prisma client whose connections run as the application role, so row-level security applies. */
export function createAppPrisma(url: string, poolSize: number): { prisma: PrismaClient; pool: pg.Pool } {
  const pool = createAppPool(url, poolSize);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
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
