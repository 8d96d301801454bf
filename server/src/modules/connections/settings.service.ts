import type { FastifyBaseLogger } from "fastify";
import type { PlatformSyncSettings } from "../../generated/prisma/client";
import type { UserError } from "../../graphql/errors";
import type { Actor } from "../../platform/auth/actor";
import type { TenantDb } from "../../platform/db";
import { QUEUES } from "../../platform/queue";
import { writeHistory } from "../history/history.writer";
import { rescheduleTenant, type SyncRuntime } from "../sync";
import { DEFAULT_SYNC_SETTINGS } from "./connections.repository";
import { mergeSettings, type SettingsChange, type SettingsValues, settingsErrors } from "./settings.rules";

function valuesOf(row: PlatformSyncSettings | null): SettingsValues {
  if (!row) return { ...DEFAULT_SYNC_SETTINGS, maxPriceVariancePct: "5.00" };
  return {
    autoSync: row.autoSync,
    syncIntervalMinutes: row.syncIntervalMinutes,
    conflictStrategy: row.conflictStrategy,
    lowStockThreshold: row.lowStockThreshold,
    outOfStockThreshold: row.outOfStockThreshold,
    maxPriceVariancePct: row.maxPriceVariancePct.toFixed(2),
  };
}

/** The settings the alert rules read: changing one re-checks the tenant's alerts. */
const THRESHOLDS = ["lowStockThreshold", "outOfStockThreshold", "maxPriceVariancePct"] as const;

/**
 * Checks the settings as they would be after the change, saves them with a history row per changed field,
 * and after commit asks the scheduler to plan the tenant's syncs by the new interval and, when a threshold
 * changed, queues the tenant's alerts to be checked again under the new ones.
 */
export async function updateSyncSettings(
  db: TenantDb,
  runtime: SyncRuntime,
  actor: Actor,
  change: SettingsChange,
  log?: FastifyBaseLogger,
): Promise<{ settings: PlatformSyncSettings | null; userErrors: UserError[] }> {
  const result = await db.transaction(async (tx) => {
    // Serialises concurrent updates so the low >= out check sees the row it replaces.
    const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM platform_sync_settings FOR UPDATE`;
    const current = row ? await tx.platformSyncSettings.findFirst() : null;
    const before = valuesOf(current);
    const next = mergeSettings(before, change);
    const userErrors = settingsErrors(next, change);
    if (userErrors.length > 0) return { settings: null, userErrors, thresholdsChanged: false };
    const data = {
      ...next,
      conflictStrategy: next.conflictStrategy as PlatformSyncSettings["conflictStrategy"],
    };
    const settings = await tx.platformSyncSettings.upsert({
      where: { tenantId: db.tenantId },
      create: data,
      update: data,
    });
    const after = valuesOf(settings);
    await writeHistory(
      tx,
      (Object.keys(after) as (keyof SettingsValues)[])
        .filter((k) => after[k] !== before[k])
        .map((k) => ({
          productId: null,
          sku: null,
          field: `settings.${k}`,
          oldValue: before[k],
          newValue: after[k],
        })),
      { jobId: null, actor, reason: "updatePlatformSyncSettings" },
    );
    const thresholdsChanged = THRESHOLDS.some((k) => after[k] !== before[k]);
    return { settings, userErrors, thresholdsChanged };
  });
  if (result.settings) {
    try {
      await rescheduleTenant(runtime, db.tenantId);
    } catch (error) {
      // Saved; the scheduler reads the settings again on its next tick.
      log?.error({ err: error }, "could not reschedule the tenant's syncs");
    }
  }
  if (result.thresholdsChanged) {
    try {
      await runtime.queue.send(QUEUES.alerts, { tenantId: db.tenantId });
    } catch (error) {
      // Saved; each item's alerts follow the new thresholds at its next change.
      log?.error({ err: error }, "could not queue the tenant's alerts to be checked again");
    }
  }
  return { settings: result.settings, userErrors: result.userErrors };
}
