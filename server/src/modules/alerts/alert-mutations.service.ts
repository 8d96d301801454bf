import type { Alert } from "../../generated/prisma/client";
import type { UserError } from "../../graphql/errors";
import { expectGlobalId } from "../../graphql/global-id";
import { type Actor, actorLabel } from "../../platform/auth/actor";
import type { TenantDb } from "../../platform/db";

/** Most alerts one resolveAlerts call takes. */
export const MAX_ALERT_IDS = 250;

type Transition = "ACKNOWLEDGED" | "RESOLVED";

const FROM: Record<Transition, Alert["status"][]> = {
  ACKNOWLEDGED: ["OPEN"],
  RESOLVED: ["OPEN", "ACKNOWLEDGED"],
};

/** Global ids to row ids; a malformed or foreign-typed id is a userError at its path. */
export function decodeIds(ids: string[], type: string, path: (i: number) => string[]) {
  const decoded: (string | null)[] = [];
  const errors: UserError[] = [];
  ids.forEach((id, i) => {
    try {
      decoded.push(expectGlobalId(id, type));
    } catch (error) {
      decoded.push(null);
      errors.push({ field: path(i), code: "INVALID_ID", message: (error as Error).message });
    }
  });
  return { decoded, errors };
}

/**
 * Moves alerts to ACKNOWLEDGED or RESOLVED, all or none: an unknown id (another tenant's included) or an
 * alert already past that state is a userError, and then nothing changes.
 */
export async function transitionAlerts(
  db: TenantDb,
  ids: string[],
  to: Transition,
  actor: Actor,
  argument: "id" | "ids",
): Promise<{ alerts: Alert[]; userErrors: UserError[] }> {
  const path = (i: number) => (argument === "id" ? ["id"] : ["ids", String(i)]);
  if (ids.length === 0)
    return {
      alerts: [],
      userErrors: [{ field: [argument], code: "EMPTY", message: "Give at least one id" }],
    };
  if (ids.length > MAX_ALERT_IDS) {
    return {
      alerts: [],
      userErrors: [{ field: [argument], code: "TOO_MANY", message: `At most ${MAX_ALERT_IDS} ids per call` }],
    };
  }
  const { decoded, errors } = decodeIds(ids, "Alert", path);
  if (errors.length > 0) return { alerts: [], userErrors: errors };
  const rowIds = decoded as string[];
  return db
    .transaction(async (tx) => {
      const rows = await tx.alert.findMany({ where: { id: { in: rowIds } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      const userErrors: UserError[] = [];
      const seen = new Set<string>();
      rowIds.forEach((id, i) => {
        const row = byId.get(id);
        if (!row) userErrors.push({ field: path(i), code: "NOT_FOUND", message: "No such alert" });
        else if (seen.has(id))
          userErrors.push({ field: path(i), code: "DUPLICATE_ID", message: "The id is given twice" });
        else if (!FROM[to].includes(row.status)) {
          userErrors.push({
            field: path(i),
            code: row.status === "RESOLVED" ? "ALREADY_RESOLVED" : "ALREADY_ACKNOWLEDGED",
            message: `The alert is already ${row.status.toLowerCase()}`,
          });
        }
        seen.add(id);
      });
      if (userErrors.length > 0) return { alerts: [], userErrors };
      const now = new Date();
      const data =
        to === "ACKNOWLEDGED"
          ? { status: to, acknowledgedAt: now }
          : {
              status: to,
              resolvedAt: now,
              resolvedBy: actorLabel(actor),
              resolutionReason: `Resolved by ${actorLabel(actor)}`,
            };
      // The status guard makes a concurrent transition lose cleanly instead of applying twice.
      const { count } = await tx.alert.updateMany({
        where: { id: { in: rowIds }, status: { in: FROM[to] } },
        data,
      });
      if (count !== rowIds.length) {
        throw new ConcurrentChange();
      }
      const updated = await tx.alert.findMany({ where: { id: { in: rowIds } } });
      if (to === "RESOLVED") {
        await tx.alertEvent.createMany({
          data: updated.map((a) => ({
            alertId: a.id,
            kind: "RESOLVED" as const,
            priority: a.priority,
            cause: "USER",
            reason: data.resolutionReason ?? null,
          })),
        });
      }
      const order = new Map(rowIds.map((id, i) => [id, i]));
      return { alerts: updated.sort((a, b) => order.get(a.id)! - order.get(b.id)!), userErrors: [] };
    })
    .catch((error) => {
      if (error instanceof ConcurrentChange) {
        return {
          alerts: [],
          userErrors: [
            {
              field: [argument],
              code: "CONCURRENT_CHANGE",
              message: "Another request changed these alerts; try again",
            },
          ],
        };
      }
      throw error;
    });
}

class ConcurrentChange extends Error {}
