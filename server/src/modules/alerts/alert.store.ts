import type pg from "pg";
import type { Tx } from "../../platform/db";
import type { AlertClear, AlertDraft } from "./rules";

/** One statement with positional parameters, as both node-postgres and a Prisma transaction can run it. */
export interface AlertSql {
  query<T>(text: string, values: unknown[]): Promise<T[]>;
}

/** What made alerts change, kept on each alert event: SYNC, WEBHOOK, BULK_UPDATE, RESOLUTION, SCHEDULE, USER. */
export type AlertCause = "SYNC" | "WEBHOOK" | "BULK_UPDATE" | "RESOLUTION" | "SCHEDULE" | "SETTINGS" | "USER";

function isTx(db: Tx | pg.ClientBase): db is Tx {
  return typeof (db as Tx).$queryRawUnsafe === "function";
}

/** The writer's transaction as the alerts module runs statements in it: a Prisma transaction or a pg client. */
export function alertSql(db: Tx | pg.ClientBase): AlertSql {
  if (isTx(db)) return { query: (text, values) => db.$queryRawUnsafe(text, ...values) };
  return { query: async (text, values) => (await db.query(text, values)).rows };
}

const RANK: Record<string, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

interface Existing {
  id: string;
  dedupe_key: string;
  status: string;
  priority: string;
}

/** Appends events to alerts' history (the rows notifications are made from). */
async function appendEvents(
  sql: AlertSql,
  events: Array<{ alertId: string; kind: string; priority: string; reason: string | null }>,
  cause: AlertCause,
): Promise<void> {
  if (events.length === 0) return;
  await sql.query(
    `INSERT INTO alert_events (alert_id, kind, priority, cause, reason)
     SELECT v.alert_id, v.kind::"AlertEventKind", v.priority::"AlertPriority", $5, v.reason
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS v(alert_id, kind, priority, reason)
     RETURNING id`,
    [
      events.map((e) => e.alertId),
      events.map((e) => e.kind),
      events.map((e) => e.priority),
      events.map((e) => e.reason),
      cause,
    ],
  );
}

export interface AlertChanges {
  created: number;
  updated: number;
  reopened: number;
  resolved: number;
}

/**
 * Raises or refreshes alerts by dedupe key and resolves those whose cause is gone, in the caller's transaction.
 * One open alert per key: an open or acknowledged one is refreshed (last seen now, escalated if the priority
 * rose); a resolved one whose cause is back is re-opened and counted; otherwise one is added. Every raise,
 * re-open, escalation and resolution is an alert event with its cause and reason.
 */
export async function applyAlerts(
  db: Tx | pg.ClientBase,
  tenantId: string,
  drafts: AlertDraft[],
  clears: Array<AlertClear | string>,
  cause: AlertCause,
): Promise<AlertChanges> {
  const sql = alertSql(db);
  const byKey = new Map(drafts.map((d) => [d.dedupeKey, d]));
  const reasons = new Map<string, string>();
  for (const c of clears) {
    const { key, reason } = typeof c === "string" ? { key: c, reason: "The condition cleared" } : c;
    if (!byKey.has(key) && !reasons.has(key)) reasons.set(key, reason);
  }
  const none = { created: 0, updated: 0, reopened: 0, resolved: 0 };
  if (byKey.size === 0 && reasons.size === 0) return none;
  // Two writers of one tenant raising the same key at once would otherwise both insert.
  await sql.query("SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended($1, 0))", [
    `alerts:${tenantId}`,
  ]);
  const events: Array<{ alertId: string; kind: string; priority: string; reason: string | null }> = [];
  const changes = { ...none };
  const list = [...byKey.values()];
  if (list.length > 0) {
    // Per key the open alert if there is one, else the latest resolved one (to re-open).
    const existing = await sql.query<Existing>(
      `SELECT DISTINCT ON (dedupe_key) id, dedupe_key, status::text, priority::text FROM alerts
        WHERE dedupe_key = ANY($1::text[])
        ORDER BY dedupe_key, (status <> 'RESOLVED') DESC, updated_at DESC, id`,
      [list.map((d) => d.dedupeKey)],
    );
    const found = new Map(existing.map((r) => [r.dedupe_key, r]));
    const open = list.filter((d) => found.get(d.dedupeKey) && found.get(d.dedupeKey)!.status !== "RESOLVED");
    const back = list.filter((d) => found.get(d.dedupeKey)?.status === "RESOLVED");
    const fresh = list.filter((d) => !found.has(d.dedupeKey));
    const cols = (rows: AlertDraft[]) => [
      rows.map((d) => found.get(d.dedupeKey)?.id ?? null),
      rows.map((d) => d.type),
      rows.map((d) => d.priority),
      rows.map((d) => d.title),
      rows.map((d) => d.message),
      rows.map((d) => JSON.stringify(d.payload)),
      rows.map((d) => d.productId ?? null),
      rows.map((d) => d.jobId ?? null),
      rows.map((d) => d.conflictId ?? null),
      rows.map((d) => d.dedupeKey),
    ];
    const values = `unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[],
                           $8::uuid[], $9::uuid[], $10::text[])
              AS v(id, type, priority, title, message, payload, product_id, job_id, conflict_id, dedupe_key)`;
    if (open.length > 0) {
      await sql.query(
        `UPDATE alerts a SET priority = v.priority::"AlertPriority", title = v.title, message = v.message,
                payload = v.payload::jsonb, job_id = coalesce(v.job_id, a.job_id),
                conflict_id = coalesce(v.conflict_id, a.conflict_id), last_seen_at = now(), updated_at = now()
           FROM ${values} WHERE a.id = v.id RETURNING a.id`,
        cols(open),
      );
      for (const d of open) {
        const was = found.get(d.dedupeKey)!;
        if (RANK[d.priority]! > RANK[was.priority]!)
          events.push({ alertId: was.id, kind: "ESCALATED", priority: d.priority, reason: d.title });
      }
      changes.updated = open.length;
    }
    if (back.length > 0) {
      await sql.query(
        `UPDATE alerts a SET status = 'OPEN', priority = v.priority::"AlertPriority", title = v.title,
                message = v.message, payload = v.payload::jsonb, job_id = coalesce(v.job_id, a.job_id),
                conflict_id = coalesce(v.conflict_id, a.conflict_id), acknowledged_at = NULL, resolved_at = NULL,
                resolved_by = NULL, resolution_reason = NULL, reopened_count = a.reopened_count + 1,
                last_seen_at = now(), updated_at = now()
           FROM ${values} WHERE a.id = v.id RETURNING a.id`,
        cols(back),
      );
      for (const d of back)
        events.push({
          alertId: found.get(d.dedupeKey)!.id,
          kind: "REOPENED",
          priority: d.priority,
          reason: d.title,
        });
      changes.reopened = back.length;
    }
    if (fresh.length > 0) {
      const inserted = await sql.query<{ id: string; dedupe_key: string; priority: string }>(
        `INSERT INTO alerts (type, priority, title, message, payload, product_id, job_id, conflict_id, dedupe_key,
                             updated_at)
         SELECT v.type::"AlertType", v.priority::"AlertPriority", v.title, v.message, v.payload::jsonb, v.product_id,
                v.job_id, v.conflict_id, v.dedupe_key, now()
           FROM ${values}
         RETURNING id, dedupe_key, priority::text`,
        cols(fresh),
      );
      for (const r of inserted)
        events.push({
          alertId: r.id,
          kind: "RAISED",
          priority: r.priority,
          reason: byKey.get(r.dedupe_key)!.title,
        });
      changes.created = inserted.length;
    }
  }
  if (reasons.size > 0) {
    const keys = [...reasons.keys()];
    const resolved = await sql.query<{ id: string; dedupe_key: string; priority: string }>(
      `UPDATE alerts a SET status = 'RESOLVED', resolved_at = now(), resolved_by = 'system',
              resolution_reason = v.reason, updated_at = now()
         FROM unnest($1::text[], $2::text[]) AS v(dedupe_key, reason)
        WHERE a.dedupe_key = v.dedupe_key AND a.status IN ('OPEN', 'ACKNOWLEDGED')
        RETURNING a.id, a.dedupe_key, a.priority::text`,
      [keys, keys.map((k) => reasons.get(k)!)],
    );
    for (const r of resolved)
      events.push({
        alertId: r.id,
        kind: "RESOLVED",
        priority: r.priority,
        reason: reasons.get(r.dedupe_key)!,
      });
    changes.resolved = resolved.length;
  }
  await appendEvents(sql, events, cause);
  return changes;
}

/**
 * Resolves alerts chosen by id (a person or a resolution closing them), recording the reason and an event.
 * Returns the ids it closed.
 */
export async function resolveAlertsWhere(
  db: Tx | pg.ClientBase,
  where: { ids?: string[]; conflictIds?: string[]; unlinkedKeys?: string[] },
  by: string,
  reason: string,
  cause: AlertCause,
  now: Date = new Date(),
): Promise<string[]> {
  const sql = alertSql(db);
  const rows = await sql.query<{ id: string; priority: string }>(
    `UPDATE alerts SET status = 'RESOLVED', resolved_at = $4, resolved_by = $5, resolution_reason = $6,
            updated_at = now()
      WHERE status IN ('OPEN', 'ACKNOWLEDGED')
        AND (id = ANY($1::uuid[]) OR conflict_id = ANY($2::uuid[])
             OR (conflict_id IS NULL AND dedupe_key = ANY($3::text[])))
      RETURNING id, priority::text`,
    [where.ids ?? [], where.conflictIds ?? [], where.unlinkedKeys ?? [], now, by, reason],
  );
  await appendEvents(
    sql,
    rows.map((r) => ({ alertId: r.id, kind: "RESOLVED", priority: r.priority, reason })),
    cause,
  );
  return rows.map((r) => r.id);
}
