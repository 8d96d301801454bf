import type pg from "pg";
import type { PgPubSub } from "../src/platform/events";
import { asTenant } from "./factories";

export interface JobChange {
  status?: string;
  total?: number;
  processed?: number;
  updated?: number;
  failed?: number;
  platformResults?: Record<string, unknown>;
}

/** Inserts a PENDING job for the tenant; returns its database id. */
export async function insertJob(owner: pg.Pool, tenantId: string, totalItems = 100): Promise<string> {
  return asTenant(owner, tenantId, async (c) => {
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO sync_jobs (type, status, total_items, platforms, updated_at)
       VALUES ('FULL', 'PENDING', $1, '{AMAZON,MEDUSA}', now()) RETURNING id`,
      [totalItems],
    );
    return rows[0]!.id;
  });
}

/** Writes a job's new state as the engine would, and returns its event payload: the row as JSON. */
export async function advanceJob(
  owner: pg.Pool,
  tenantId: string,
  jobId: string,
  change: JobChange,
): Promise<Record<string, unknown>> {
  const row = await asTenant(owner, tenantId, async (c) => {
    const { rows } = await c.query(
      `UPDATE sync_jobs SET status = COALESCE($2::"SyncJobStatus", status),
         total_items = COALESCE($3, total_items), processed_items = COALESCE($4, processed_items),
         updated_items = COALESCE($5, updated_items), failed_items = COALESCE($6, failed_items),
         platform_results = COALESCE($7::jsonb, platform_results), updated_at = clock_timestamp()
       WHERE id = $1 RETURNING *`,
      [
        jobId,
        change.status ?? null,
        change.total ?? null,
        change.processed ?? null,
        change.updated ?? null,
        change.failed ?? null,
        change.platformResults ? JSON.stringify(change.platformResults) : null,
      ],
    );
    return rows[0] as Record<string, unknown>;
  });
  const camel = Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]),
  );
  return JSON.parse(JSON.stringify(camel)) as Record<string, unknown>;
}

/** Publishes a job event on both topics, as a worker in another process does. */
export async function publishJob(bus: PgPubSub, event: Record<string, unknown>): Promise<void> {
  await bus.publish(`syncJob:${event.id as string}`, event);
  await bus.publish(`syncJobs:${event.tenantId as string}`, event);
}
