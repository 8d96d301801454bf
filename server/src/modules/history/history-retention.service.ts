import type { UserError } from "../../graphql/errors";
import { toGlobalId } from "../../graphql/global-id";
import type { Actor } from "../../platform/auth/actor";
import type { TenantDb } from "../../platform/db";
import { AuditAction, recordAudit } from "../audit";
import {
  MAX_RETENTION_MONTHS,
  MIN_RETENTION_MONTHS,
  retentionCutoff,
  retentionErrors,
} from "./history-retention.rules";
import type { HistoryArchive, HistoryRetention } from "./history-retention.types";

/** Archives one page lists at most. */
export const MAX_ARCHIVES_LISTED = 1_200;

export const HISTORY_ARCHIVES_PATH = "/history-archives";

function retentionOf(months: number): HistoryRetention {
  return {
    months,
    keepsSince: retentionCutoff(months),
    minMonths: MIN_RETENTION_MONTHS,
    maxMonths: MAX_RETENTION_MONTHS,
  };
}

export async function readRetention(db: TenantDb): Promise<HistoryRetention> {
  const tenant = await db.client.tenant.findUniqueOrThrow({
    where: { id: db.tenantId },
    select: { historyRetentionMonths: true },
  });
  return retentionOf(tenant.historyRetentionMonths);
}

/** Saves a new retention and records who changed it from what; the next maintenance round applies it. */
export async function updateRetention(
  db: TenantDb,
  actor: Actor,
  months: number,
): Promise<{ retention: HistoryRetention | null; userErrors: UserError[] }> {
  const userErrors = retentionErrors(months);
  if (userErrors.length > 0) return { retention: null, userErrors };
  return db.transaction(async (tx) => {
    const [before] = await tx.$queryRaw<{ months: number }[]>`
      SELECT history_retention_months AS months FROM tenants WHERE id = ${db.tenantId}::uuid FOR UPDATE`;
    await tx.tenant.update({ where: { id: db.tenantId }, data: { historyRetentionMonths: months } });
    if (before?.months !== months) {
      await recordAudit(tx, {
        action: AuditAction.HISTORY_RETENTION_CHANGED,
        actor,
        targetType: "Tenant",
        targetId: db.tenantId,
        details: { from: before?.months ?? null, to: months },
      });
    }
    return { retention: retentionOf(months), userErrors: [] };
  });
}

/** The tenant's archives, newest month first. */
export async function listArchives(db: TenantDb): Promise<HistoryArchive[]> {
  const rows = await db.client.historyArchive.findMany({
    orderBy: [{ month: "desc" }, { part: "desc" }],
    take: MAX_ARCHIVES_LISTED,
  });
  return rows.map((row) => ({
    id: toGlobalId("HistoryArchive", row.id),
    downloadPath: `${HISTORY_ARCHIVES_PATH}/${row.id}`,
    month: row.month.toISOString().slice(0, 7),
    part: row.part,
    rows: row.rows,
    bytes: Number(row.bytes),
    sha256: row.sha256,
    createdAt: row.createdAt,
  }));
}
