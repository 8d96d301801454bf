import type { FastifyBaseLogger } from "fastify";
import type { Loaders } from "../app/loaders";
import type { TenantDb } from "../platform/db";

/** What every resolver receives: the caller's tenant, its scoped database and per-request loaders. */
export interface Context {
  requestId: string;
  tenant: { id: string; slug: string };
  db: TenantDb;
  loaders: Loaders;
  log: FastifyBaseLogger;
}
