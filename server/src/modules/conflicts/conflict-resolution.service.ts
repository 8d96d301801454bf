import type { FastifyBaseLogger } from "fastify";
import type { ConflictStrategy, Prisma, SyncConflict } from "../../generated/prisma/client";
import type { UserError } from "../../graphql/errors";
import { expectGlobalId } from "../../graphql/global-id";
import { type Actor, actorLabel } from "../../platform/auth/actor";
import type { TenantDb, Tx } from "../../platform/db";
import { evaluateItemAlerts, resolveConflictAlerts } from "../alerts";
import { type HistoryRow, writeHistory } from "../history/history.writer";
import { enqueueJob, planJob, type SyncRuntime } from "../sync";
import {
  type ConflictTypeName,
  conflictValues,
  parseGivenValue,
  platformsToWrite,
  type ResolvedValue,
  sameValue,
  writableField,
} from "./conflict-resolution.rules";
import { resolveConflictValue } from "./strategies";

/** Most conflicts one call resolves: by ids, and by filter (the rest is left for the next call). */
export const MAX_CONFLICT_IDS = 250;
export const MAX_CONFLICTS_BY_FILTER = 1000;

const PLATFORM_KINDS = new Set(["AMAZON", "MEDUSA", "SHOPIFY", "EBAY", "WOOCOMMERCE", "CUSTOM"]);

export type Selection =
  | { ids: string[]; argument: "id" | "ids" }
  | { filter: { type?: string[] | null; sku?: string | null; jobId?: string | null } };

export interface Resolution {
  strategy?: ConflictStrategy | null;
  value?: string | null;
}

export interface ResolutionOutcome {
  conflicts: SyncConflict[];
  jobId: string | null;
  hasMore: boolean;
  userErrors: UserError[];
}

type PlanItem = Parameters<typeof planJob>[1]["items"][number];

interface Decided {
  conflict: SyncConflict;
  value: ResolvedValue;
  winner: string | null;
  strategy: ConflictStrategy;
}

class Refused extends Error {
  constructor(readonly userErrors: UserError[]) {
    super("refused");
  }
}

const refuse = (field: string[], code: string, message: string): never => {
  throw new Refused([{ field, code, message }]);
};

/** The lowest priority number per platform kind: the source that wins under SOURCE_WINS. */
async function priorities(tx: Tx): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of await tx.platformConnection.findMany({ where: { enabled: true } })) {
    out[c.kind] = Math.min(out[c.kind] ?? Number.POSITIVE_INFINITY, c.priority);
  }
  return out;
}

async function select(tx: Tx, selection: Selection) {
  if ("ids" in selection) {
    const { ids } = selection;
    const at = (i: number) => (selection.argument === "id" ? ["id"] : ["ids", String(i)]);
    if (ids.length === 0) refuse(["ids"], "EMPTY", "Give at least one id");
    if (ids.length > MAX_CONFLICT_IDS)
      refuse(["ids"], "TOO_MANY", `At most ${MAX_CONFLICT_IDS} ids per call`);
    const rowIds = ids.map((id, i) => {
      try {
        return expectGlobalId(id, "SyncConflict");
      } catch (error) {
        return refuse(at(i), "INVALID_ID", (error as Error).message);
      }
    });
    const rows = await tx.syncConflict.findMany({ where: { id: { in: rowIds } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const errors: UserError[] = [];
    const seen = new Set<string>();
    rowIds.forEach((id, i) => {
      const field = at(i);
      const row = byId.get(id);
      if (!row) errors.push({ field, code: "NOT_FOUND", message: "No such conflict" });
      else if (seen.has(id)) errors.push({ field, code: "DUPLICATE_ID", message: "The id is given twice" });
      else if (row.status !== "OPEN") {
        errors.push({
          field,
          code: row.status === "RESOLVED" ? "ALREADY_RESOLVED" : "ALREADY_IGNORED",
          message: `The conflict is already ${row.status.toLowerCase()}`,
        });
      }
      seen.add(id);
    });
    if (errors.length > 0) throw new Refused(errors);
    return { rows: rowIds.map((id) => byId.get(id)!), hasMore: false };
  }
  const { filter } = selection;
  const where: Prisma.SyncConflictWhereInput = { status: "OPEN" };
  if (filter.type?.length) where.type = { in: filter.type as SyncConflict["type"][] };
  if (filter.sku) where.sku = filter.sku;
  if (filter.jobId) {
    try {
      where.jobId = expectGlobalId(filter.jobId, "SyncJob");
    } catch (error) {
      refuse(["filter", "jobId"], "INVALID_ID", (error as Error).message);
    }
  }
  const rows = await tx.syncConflict.findMany({
    where,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: MAX_CONFLICTS_BY_FILTER + 1,
  });
  return { rows: rows.slice(0, MAX_CONFLICTS_BY_FILTER), hasMore: rows.length > MAX_CONFLICTS_BY_FILTER };
}

/** The value each conflict resolves to, by the given value or the strategy; any refusal refuses them all. */
function decide(
  rows: SyncConflict[],
  resolution: Resolution,
  priority: Record<string, number>,
  path: (i: number) => string[],
): Decided[] {
  const errors: UserError[] = [];
  const decided: Decided[] = [];
  const targets = new Map<string, number>();
  rows.forEach((conflict, i) => {
    const type = conflict.type as ConflictTypeName;
    const values = conflictValues(conflict.values);
    let value: ResolvedValue;
    let winner: string | null;
    let strategy: ConflictStrategy;
    if (resolution.value != null) {
      const parsed = parseGivenValue(type, resolution.value, ["resolution", "value"]);
      if ("error" in parsed) {
        errors.push(parsed.error);
        return;
      }
      value = parsed.value;
      winner = Object.keys(values).find((p) => sameValue(type, values[p], value)) ?? null;
      strategy = "MANUAL";
    } else {
      strategy = resolution.strategy!;
      const computed = resolveConflictValue(strategy, conflict.type, values, priority);
      if (!computed) {
        errors.push({
          field: ["resolution", "strategy"],
          code: "VALUE_REQUIRED",
          message: "MANUAL computes no value: give the value",
        });
        return;
      }
      if (computed.value == null) {
        errors.push({
          field: path(i),
          code: "NO_VALUE",
          message: `No platform has a value to pick by ${strategy}`,
        });
        return;
      }
      const parsed = parseGivenValue(type, String(computed.value), path(i));
      if ("error" in parsed) {
        errors.push(parsed.error);
        return;
      }
      value = parsed.value;
      winner = computed.winner;
    }
    // One job writes each SKU's field once: two conflicts over the same field cannot resolve together.
    const key = `${conflict.productId}|${conflict.field}`;
    if (targets.has(key)) {
      errors.push({
        field: path(i),
        code: "CONFLICTING_RESOLUTIONS",
        message: `Another conflict in this call is about ${conflict.sku} ${conflict.field}`,
      });
      return;
    }
    targets.set(key, i);
    decided.push({ conflict, value, winner, strategy });
  });
  if (errors.length > 0) throw new Refused(dedupe(errors));
  return decided;
}

function dedupe(errors: UserError[]): UserError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field.join(".")}|${e.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Refuses a resolution that would write a value where the platform sets it itself (an FBA quantity on Amazon):
 * the platform keeps its own number, so the platforms would not agree; resolve to that number instead.
 */
async function refuseManaged(
  tx: Tx,
  runtime: SyncRuntime,
  decided: Decided[],
  path: (i: number) => string[],
): Promise<void> {
  const items = await tx.sellerInventory.findMany({
    where: { productId: { in: decided.map((d) => d.conflict.productId) } },
    select: { productId: true, fulfillmentChannel: true },
  });
  const channel = new Map(items.map((i) => [i.productId, i.fulfillmentChannel]));
  const errors: UserError[] = [];
  decided.forEach(({ conflict, value }, i) => {
    const type = conflict.type as ConflictTypeName;
    const field = writableField(type);
    if (!field) return;
    const values = conflictValues(conflict.values);
    for (const { platform } of platformsToWrite(type, values, value, PLATFORM_KINDS)) {
      const rules = runtime.connections.rules(platform);
      if (!rules.managedFields({ fulfillmentChannel: channel.get(conflict.productId) }).includes(field))
        continue;
      errors.push({
        field: path(i),
        code: "PLATFORM_MANAGED",
        message: `${platform} sets the ${field} of ${conflict.sku} itself (fulfilled by the platform) and holds ${JSON.stringify(values[platform])}: resolve to that value`,
      });
    }
  });
  if (errors.length > 0) throw new Refused(dedupe(errors));
}

/** Writes the values into our record and the differing listings; returns history rows and job items. */
async function applyValues(tx: Tx, decided: Decided[]) {
  const history: HistoryRow[] = [];
  const plan: PlanItem[] = [];
  const connections = await tx.platformConnection.findMany({
    orderBy: [{ priority: "asc" }, { name: "asc" }],
  });
  const connectionOf = new Map<string, string>();
  for (const c of connections) if (!connectionOf.has(c.kind)) connectionOf.set(c.kind, c.id);
  for (const { conflict, value } of decided) {
    const type = conflict.type as ConflictTypeName;
    const field = writableField(type);
    if (!field) {
      // Data attributes are not written to platforms by the connectors: the decision is recorded only.
      history.push({
        productId: conflict.productId,
        sku: conflict.sku,
        field: conflict.field,
        oldValue: conflict.values,
        newValue: value,
      });
      continue;
    }
    const item = await tx.sellerInventory.findFirst({ where: { productId: conflict.productId } });
    if (item) {
      const current = field === "price" ? (item.price?.toFixed(2) ?? null) : item[field];
      if (!sameValue(type, current, value)) {
        await tx.sellerInventory.update({ where: { id: item.id }, data: { [field]: value } });
        history.push({
          productId: conflict.productId,
          sku: conflict.sku,
          field,
          oldValue: current,
          newValue: value,
        });
      }
    }
    for (const { platform, from } of platformsToWrite(
      type,
      conflictValues(conflict.values),
      value,
      PLATFORM_KINDS,
    )) {
      const connectionId = connectionOf.get(platform);
      // Only a listing the platform has gets the write: a write for an unlisted SKU would create one there.
      const listed = connectionId
        ? await tx.productListing.updateMany({
            where: { productId: conflict.productId, connectionId, status: { not: "DELETED" } },
            data: { [field]: value },
          })
        : { count: 0 };
      if (listed.count === 0) continue;
      plan.push({
        productId: conflict.productId,
        sku: conflict.sku,
        platform: platform as PlanItem["platform"],
        field,
        fromValue: from,
        toValue: value,
        expectedQuantity: null,
      });
    }
  }
  return { history, plan };
}

async function markClosed(tx: Tx, id: string, data: Prisma.SyncConflictUpdateManyMutationInput) {
  // Guarded by status: a concurrent resolution of the same conflict makes this one fail, not apply twice.
  const { count } = await tx.syncConflict.updateMany({ where: { id, status: "OPEN" }, data });
  if (count !== 1) refuse(["id"], "CONCURRENT_CHANGE", "Another request resolved this conflict; reload it");
}

/**
 * Resolves conflicts all or none: computes each value (given, or by strategy with the connections'
 * priorities), writes it into our record and the listings that differ, records history, closes the conflicts
 * and their SYNC_CONFLICT alerts, and plans one RESOLUTION job, enqueued after commit.
 */
export async function resolveConflicts(
  db: TenantDb,
  runtime: SyncRuntime,
  actor: Actor,
  selection: Selection,
  resolution: Resolution,
  log?: FastifyBaseLogger,
): Promise<ResolutionOutcome> {
  const given = [resolution.strategy != null, resolution.value != null].filter(Boolean).length;
  if (given !== 1) {
    return {
      conflicts: [],
      jobId: null,
      hasMore: false,
      userErrors: [{ field: ["resolution"], code: "INVALID", message: "Give either a strategy or a value" }],
    };
  }
  let outcome: ResolutionOutcome;
  try {
    outcome = await db.transaction(
      async (tx) => {
        const { rows, hasMore } = await select(tx, selection);
        const path = (i: number) =>
          "ids" in selection ? (selection.argument === "id" ? ["id"] : ["ids", String(i)]) : ["filter"];
        const decided = decide(rows, resolution, await priorities(tx), path);
        await refuseManaged(tx, runtime, decided, path);
        const { history, plan } = await applyValues(tx, decided);
        const job =
          plan.length > 0 ? await planJob(tx, { trigger: "RESOLUTION", dryRun: false, items: plan }) : null;
        const by = actorLabel(actor);
        const now = new Date();
        for (const d of decided) {
          await markClosed(tx, d.conflict.id, {
            status: "RESOLVED",
            resolvedValue: d.value as Prisma.InputJsonValue,
            resolution: { strategy: d.strategy, winner: d.winner, value: d.value, by },
            resolvedAt: now,
            resolvedBy: by,
          });
        }
        await writeHistory(tx, history, { jobId: job?.id ?? null, actor, reason: "resolveConflict" });
        // In the same transaction: a resolved conflict never leaves its alert open.
        await resolveConflictAlerts(
          tx,
          decided.map((d) => d.conflict),
          by,
          { now, pricesAgree: true },
        );
        // The resolved values may restore stock or bring prices in line (or not): the item rules decide.
        await evaluateItemAlerts(
          tx,
          db.tenantId,
          decided.map((d) => d.conflict.productId),
          "RESOLUTION",
          { jobId: job?.id ?? null },
        );
        const ids = decided.map((d) => d.conflict.id);
        const updated = await tx.syncConflict.findMany({ where: { id: { in: ids } } });
        const order = new Map(ids.map((id, i) => [id, i]));
        updated.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
        return { conflicts: updated, jobId: job?.id ?? null, hasMore, userErrors: [] };
      },
      { timeout: 120_000 },
    );
  } catch (error) {
    if (error instanceof Refused)
      return { conflicts: [], jobId: null, hasMore: false, userErrors: error.userErrors };
    throw error;
  }
  if (outcome.jobId) {
    try {
      await enqueueJob(runtime, db.tenantId, outcome.jobId);
    } catch (error) {
      // The resolution is committed and its job stored as PENDING; the engine's recovery picks it up.
      log?.error({ err: error, jobId: outcome.jobId }, "could not enqueue resolution job");
    }
  }
  return outcome;
}

/** Closes a conflict without changing any value, and its SYNC_CONFLICT alerts with it. */
export async function ignoreConflict(
  db: TenantDb,
  actor: Actor,
  id: string,
): Promise<{ conflict: SyncConflict | null; userErrors: UserError[] }> {
  try {
    return await db.transaction(async (tx) => {
      const { rows } = await select(tx, { ids: [id], argument: "id" });
      const conflict = rows[0]!;
      const by = actorLabel(actor);
      const now = new Date();
      await markClosed(tx, conflict.id, {
        status: "IGNORED",
        resolution: { strategy: null, winner: null, value: null, by, ignored: true },
        resolvedAt: now,
        resolvedBy: by,
      });
      await resolveConflictAlerts(tx, [conflict], by, { now });
      return { conflict: await tx.syncConflict.findUnique({ where: { id: conflict.id } }), userErrors: [] };
    });
  } catch (error) {
    if (error instanceof Refused) return { conflict: null, userErrors: error.userErrors };
    throw error;
  }
}
