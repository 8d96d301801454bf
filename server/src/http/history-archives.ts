import type { FastifyInstance } from "fastify";
import type { PrismaClient } from "../generated/prisma/client";
import { HISTORY_ARCHIVES_PATH, openHistoryArchive } from "../modules/history";
import { type Authenticate, registerDownload } from "./download-route";

/** GET /history-archives/<id>: one of the tenant's history archives (gzip JSONL), owners only. */
export function registerHistoryArchives(
  app: FastifyInstance,
  prisma: PrismaClient,
  dir: string,
  authenticate: Authenticate,
) {
  registerDownload(app, HISTORY_ARCHIVES_PATH, authenticate, (id, principal) =>
    openHistoryArchive(prisma, dir, principal, id),
  );
}
