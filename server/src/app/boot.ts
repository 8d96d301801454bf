import "reflect-metadata";
import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { createDefaultRegistry } from "../connectors";
import type { PrismaClient } from "../generated/prisma/client";
import type { Services } from "../graphql/context";
import { createServer } from "../http/server";
import { ConnectionService } from "../modules/connections";
import type { Config } from "../platform/config";
import { CredentialCipher, loadCredentialKey } from "../platform/credentials";
import { createAppPrisma, createOwnerPool, type Migration } from "../platform/db";
import { PgPubSub } from "../platform/events";
import { buildAppSchema } from "./schema";

export interface App {
  http: FastifyInstance;
  prisma: PrismaClient;
  /** The application role's pool (row-level security applies to everything on it). */
  pool: pg.Pool;
  ownerPool: pg.Pool;
  services: Services;
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
  const cipher = new CredentialCipher(loadCredentialKey(config));
  let logEventError = (_error: Error) => {};
  const pubSub = new PgPubSub(url, ownerPool, (error) => logEventError(error));
  const services: Services = {
    connections: new ConnectionService(createDefaultRegistry(), cipher),
    pubSub,
  };
  const http = await createServer({
    config,
    schema: await buildAppSchema(pubSub),
    prisma,
    ownerPool,
    migrations: options.migrations,
    database: options.database,
    services,
  });
  logEventError = (error) => http.log.error({ err: error }, "event bus: listening session lost");
  return {
    http,
    prisma,
    pool,
    ownerPool,
    services,
    async close() {
      await http.close().catch(() => {});
      await services.connections.close();
      await pubSub.close();
      await prisma.$disconnect().catch(() => {});
      await pool.end().catch(() => {});
      await ownerPool.end().catch(() => {});
    },
  };
}
