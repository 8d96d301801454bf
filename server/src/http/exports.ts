import type { FastifyInstance } from "fastify";
import type { ExportService } from "../modules/exports";
import { type Authenticate, registerDownload } from "./download-route";

export const EXPORTS_PATH = "/exports";

/** GET /exports/<list>.<format>: a list as a CSV, JSON or JSONL download. */
export function registerExports(app: FastifyInstance, exports: ExportService, authenticate: Authenticate) {
  registerDownload(app, EXPORTS_PATH, authenticate, (file, principal, query) =>
    exports.start(file, principal, query),
  );
}
