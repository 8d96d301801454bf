import type { PlatformKind, SyncJobType } from "../../generated/prisma/enums";
import type { UserError } from "../../graphql/errors";

/** Most SKUs one job may name. */
export const MAX_SYNC_SKUS = 10_000;
const SKU = /^[\x21-\x7e][\x20-\x7e]{0,99}$/;

export interface StartSyncInput {
  type: SyncJobType;
  skus?: string[] | null;
  platforms?: PlatformKind[] | null;
  dryRun?: boolean | null;
}

/**
 * What is wrong with a request to start a sync, given the tenant's connections; empty means it may start.
 * PARTIAL needs SKUs; INCREMENTAL may name SKUs flagged by notifications; FULL takes none.
 */
export function startSyncErrors(
  input: StartSyncInput,
  connections: Array<{ kind: string; enabled: boolean }>,
): UserError[] {
  const errors: UserError[] = [];
  const at = (...path: Array<string | number>) => ["input", ...path.map(String)];
  const skus = input.skus ?? null;
  if (input.type === "PARTIAL" && (!skus || skus.length === 0)) {
    errors.push({ field: at("skus"), code: "REQUIRED", message: "A PARTIAL sync needs the SKUs to sync" });
  }
  if (input.type === "FULL" && skus && skus.length > 0) {
    errors.push({
      field: at("skus"),
      code: "INVALID",
      message: "A FULL sync reads every SKU; name SKUs with a PARTIAL sync",
    });
  }
  if (skus && skus.length > MAX_SYNC_SKUS) {
    errors.push({
      field: at("skus"),
      code: "TOO_MANY",
      message: `At most ${MAX_SYNC_SKUS.toLocaleString("en-US")} SKUs per sync, got ${skus.length.toLocaleString("en-US")}`,
    });
  } else if (skus) {
    const bad = skus.findIndex((sku) => typeof sku !== "string" || !SKU.test(sku));
    if (bad >= 0) {
      errors.push({
        field: at("skus", bad),
        code: "INVALID",
        message: "A SKU is 1 to 100 printable characters and does not start with a space",
      });
    }
  }
  const byKind = new Map(connections.map((c) => [c.kind, c]));
  const platforms = input.platforms ?? [];
  platforms.forEach((kind, i) => {
    const connection = byKind.get(kind);
    if (!connection) {
      errors.push({ field: at("platforms", i), code: "UNKNOWN_PLATFORM", message: `No ${kind} connection` });
    } else if (!connection.enabled) {
      errors.push({
        field: at("platforms", i),
        code: "PLATFORM_DISABLED",
        message: `The ${kind} connection is disabled`,
      });
    }
  });
  if (new Set(platforms).size !== platforms.length) {
    errors.push({ field: at("platforms"), code: "DUPLICATE", message: "A platform is named twice" });
  }
  if (platforms.length === 0 && !connections.some((c) => c.enabled)) {
    errors.push({ field: at("platforms"), code: "NO_PLATFORMS", message: "No enabled platform connection" });
  }
  return errors;
}
