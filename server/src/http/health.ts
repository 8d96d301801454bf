import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { type Migration, pendingMigrations } from "../platform/db";

/** /healthz says the process is up; /readyz that the database answers and has every migration. */
export function registerHealth(
  app: FastifyInstance,
  deps: { ownerPool: pg.Pool; migrations: Migration[]; database: "embedded" | "external" },
) {
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (request, reply) => {
    try {
      const pending = await pendingMigrations(deps.ownerPool, deps.migrations);
      if (pending.length > 0) {
        return reply
          .code(503)
          .send({ status: "not ready", database: deps.database, pendingMigrations: pending });
      }
      return { status: "ready", database: deps.database, migrations: deps.migrations.length };
    } catch (error) {
      // The driver's message names hosts and roles: it goes to the log, not to whoever asks.
      request.log.warn({ err: error }, "readiness check: database unreachable");
      return reply
        .code(503)
        .send({ status: "not ready", database: deps.database, error: "the database does not answer" });
    }
  });
}
