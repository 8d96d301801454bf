import type { PlatformSyncSettings } from "../../generated/prisma/client";
import { byIdLoader } from "../../graphql/loaders";
import { Prisma, type TenantDb } from "../../platform/db";
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
export async function getSyncSettings(db: TenantDb): Promise<PlatformSyncSettings> {
  // Read on every inventory page: one plain statement rather than a round through Prisma's query engine.
  const [existing] = await db.sql<Omit<PlatformSyncSettings, "maxPriceVariancePct"> & { pct: string }>(
    Prisma.sql`SELECT id, tenant_id AS "tenantId", auto_sync AS "autoSync",
        sync_interval_minutes AS "syncIntervalMinutes", conflict_strategy::text AS "conflictStrategy",
        low_stock_threshold AS "lowStockThreshold", out_of_stock_threshold AS "outOfStockThreshold",
        max_price_variance_pct::text AS pct, created_at AS "createdAt", updated_at AS "updatedAt"
      FROM platform_sync_settings`,
  );
  if (existing) {
    const { pct, ...settings } = existing;
    return { ...settings, maxPriceVariancePct: new Prisma.Decimal(pct) };
  }
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
