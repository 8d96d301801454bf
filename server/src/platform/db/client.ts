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

/** A Prisma client whose connections run as the application role, so row-level security applies. */
export function createAppPrisma(url: string, poolSize: number): { prisma: PrismaClient; pool: pg.Pool } {
  const pool = new pg.Pool(poolConfig(url, poolSize, APP_ROLE));
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
