import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { type Migration, pendingMigrations } from "../platform/db";

/** /healthz says the process is up; /readyz that the database answers and has every migration. */
export function registerHealth(
  app: FastifyInstance,
  deps: { ownerPool: pg.Pool; migrations: Migration[]; database: "embedded" | "external" },
) {
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    try {
      const pending = await pendingMigrations(deps.ownerPool, deps.migrations);
      if (pending.length > 0) {
        return reply
          .code(503)
          .send({ status: "not ready", database: deps.database, pendingMigrations: pending });
      }
      return { status: "ready", database: deps.database, migrations: deps.migrations.length };
    } catch (error) {
      return reply
        .code(503)
        .send({ status: "not ready", database: deps.database, error: (error as Error).message });
    }
  });
}
