import type { Prisma } from "../../generated/prisma/client";
import { byIdLoader } from "../../graphql/loaders";
import type { TenantDb } from "../../platform/db";
import type { PlatformConnectionFilter } from "./connections.types";

/** The thresholds and strategy a tenant has before it changes anything. */
export const DEFAULT_SYNC_SETTINGS = {
  autoSync: true,
  syncIntervalMinutes: 30,
  conflictStrategy: "SOURCE_WINS",
  lowStockThreshold: 10,
  outOfStockThreshold: 0,
  maxPriceVariancePct: "5",
} as const;

export function listConnections(db: TenantDb, filter: PlatformConnectionFilter | null | undefined) {
  const where: Prisma.PlatformConnectionWhereInput = {};
  if (filter?.kind?.length) where.kind = { in: filter.kind };
  if (filter?.enabled != null) where.enabled = filter.enabled;
  if (filter?.health?.length) where.lastHealthStatus = { in: filter.health };
  return db.client.platformConnection.findMany({ where, orderBy: [{ priority: "asc" }, { name: "asc" }] });
}

/** The tenant's settings row, created with the defaults the first time it is read. */
export async function getSyncSettings(db: TenantDb) {
  const existing = await db.client.platformSyncSettings.findFirst();
  if (existing) return existing;
  return db.client.platformSyncSettings.upsert({
    where: { tenantId: db.tenantId },
    create: { ...DEFAULT_SYNC_SETTINGS },
    update: {},
  });
}

export function createConnectionLoaders(db: TenantDb) {
  let settings: ReturnType<typeof getSyncSettings> | undefined;
  return {
    connectionById: byIdLoader((ids) =>
      db.client.platformConnection.findMany({ where: { id: { in: ids } } }),
    ),
    /** Read once per request. */
    settings: () => {
      settings ??= getSyncSettings(db);
      return settings;
    },
  };
}
