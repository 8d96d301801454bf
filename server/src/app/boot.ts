import "reflect-metadata";
import type { FastifyInstance } from "fastify";
import type pg from "pg";
import type { PrismaClient } from "../generated/prisma/client";
import { createServer } from "../http/server";
import type { Config } from "../platform/config";
import { createAppPrisma, createOwnerPool, type Migration } from "../platform/db";
import { buildAppSchema } from "./schema";

export interface App {
  http: FastifyInstance;
  prisma: PrismaClient;
  /** The application role's pool (row-level security applies to everything on it). */
  pool: pg.Pool;
  ownerPool: pg.Pool;
  close(): Promise<void>;
}

/** Wires the product over a migrated database: pools, schema, HTTP server. Does not listen. */
export async function buildApp(options: {
  url: string;
  config: Config;
  migrations: Migration[];
  database: "embedded" | "external";
}): Promise<App> {
  const { url, config } = options;
  const ownerPool = createOwnerPool(url);
  const { prisma, pool } = createAppPrisma(url, config.DB_POOL_SIZE);
  const http = await createServer({
    config,
    schema: await buildAppSchema(),
    prisma,
    ownerPool,
    migrations: options.migrations,
    database: options.database,
  });
  return {
    http,
    prisma,
    pool,
    ownerPool,
    async close() {
      await http.close().catch(() => {});
      await prisma.$disconnect().catch(() => {});
      await pool.end().catch(() => {});
      await ownerPool.end().catch(() => {});
    },
  };
}
