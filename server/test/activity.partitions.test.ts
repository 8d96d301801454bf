import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/global-id";
import { applyHistoryRetention } from "../src/modules/history";
import { ensureJobItemPartitions, jobItemPartitions, jobItemsRetention } from "../src/modules/sync";
import { IN_FLIGHT, ITEMS_OF_JOB, markSent } from "../src/modules/sync/sync.store";
import {
  ensureWebhookEventPartitions,
  webhookEventPartitions,
  webhookEventsRetention,
} from "../src/modules/webhooks";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { asTenant, createTenant } from "./factories";
import { partitionsRun } from "./plans";

const DAY = 86_400_000;
const FAILURES = `query($id: ID!) { syncJob(id: $id) { id failures { sku error } } }`;

const itemIds = async (c: pg.ClientBase, jobId: string) =>
  (await c.query<{ id: string }>("SELECT id FROM sync_job_items WHERE job_id = $1", [jobId])).rows.map(
    (r) => r.id,
  );

const monthOf = (at: Date) =>
  `sync_job_items_${at.getUTCFullYear()}_${String(at.getUTCMonth() + 1).padStart(2, "0")}`;

describe("activity tables partitioned by month (job items by their job's month, webhook events)", () => {
  let server: TestServer;
  let owner: pg.Pool;
  let demo = "";
  let other = "";
  const archiveDir = fs.mkdtempSync(path.join(os.tmpdir(), "job-items-"));

  /** A job created `daysAgo` days back with `count` items, as the tenant writes them. */
  const job = (tenantId: string, daysAgo: number, status = "SUCCEEDED", count = 3, itemStatus = "FAILED") =>
    asTenant(owner, tenantId, async (c) => {
      const created = new Date(Date.now() - daysAgo * DAY);
      const { rows } = await c.query<{ id: string }>(
        "INSERT INTO sync_jobs (type, status, created_at, updated_at) VALUES ('FULL', $1, $2, now()) RETURNING id",
        [status, created],
      );
      const id = rows[0]!.id;
      await c.query(
        `INSERT INTO sync_job_items (job_id, job_created_at, sku, platform, field, status, error, updated_at)
         SELECT $1, $2, 'SKU-' || g, 'AMAZON', 'quantity', $4::"SyncItemStatus", 'refused', now()
           FROM generate_series(1, $3) g`,
        [id, created, count, itemStatus],
      );
      return { id, created };
    });
  const names = async () => (await jobItemPartitions(owner)).map((p) => p.name);

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      demo = (await createTenant(pool, "demo")).tenantId;
      other = (await createTenant(pool, "other")).tenantId;
      await pool.end();
    });
    owner = server.app.ownerPool;
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(archiveDir, { recursive: true, force: true });
  });

  it("keeps a partition per month from 13 months back to 3 months ahead, made again at no cost", async () => {
    const now = new Date();
    const month = (offset: number) =>
      monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)));
    const all = await names();
    expect(all.length).toBeGreaterThanOrEqual(17);
    expect(all).toEqual(expect.arrayContaining([month(-13), month(0), month(3)]));
    expect(await ensureJobItemPartitions(owner)).toBe(0);
  });

  it("reads and updates one job's items in its own month's partition only", async () => {
    await job(demo, 200, "SUCCEEDED", 5);
    const recent = await job(demo, 1, "APPLYING", 4, "PENDING");
    const plans = await asTenant(owner, demo, async (c) => {
      await c.query("SET LOCAL ROLE inventory_app");
      const explain = async (sql: string, params: unknown[]) =>
        (await c.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)).rows[0]["QUERY PLAN"];
      return [
        await explain(
          `SELECT id FROM sync_job_items WHERE job_id = $1 AND ${ITEMS_OF_JOB} AND status = 'PENDING' ORDER BY sku`,
          [recent.id],
        ),
        await explain(
          `UPDATE sync_job_items SET updated_at = now() WHERE job_id = $1 AND ${ITEMS_OF_JOB} AND status = 'PENDING'`,
          [recent.id],
        ),
        await explain(
          `SELECT count(*) FROM sync_job_items WHERE job_id = $1 AND job_created_at = $2 AND status = 'FAILED'`,
          [recent.id, recent.created],
        ),
        // The engine's updates of items by id (sent, applied, failed) carry their job's month too.
        await explain(
          `UPDATE sync_job_items SET updated_at = now()
            WHERE id = ANY($1::uuid[]) AND job_created_at = $2 AND status = 'PENDING'`,
          [await itemIds(c, recent.id), recent.created],
        ),
      ];
    });
    for (const plan of plans)
      expect(partitionsRun(plan, "sync_job_items")).toEqual([monthOf(recent.created)]);
    // markSent finds them by id in that partition, and reads no other (the transaction's own table statistics).
    const ids = await asTenant(owner, demo, (c) => itemIds(c, recent.id));
    // On a connection of its own: a backend's statistics of earlier transactions may not be flushed yet.
    const fresh = createOwnerPool(server.dbUrl, 1);
    const touched = await asTenant(fresh, demo, async (c) => {
      await c.query("SET LOCAL ROLE inventory_app");
      await markSent(c, ids, recent.created);
      await c.query("RESET ROLE");
      return (
        await c.query<{ name: string }>(
          `SELECT relname AS name FROM pg_stat_xact_user_tables
            WHERE relname LIKE 'sync\\_job\\_items\\_%' AND coalesce(idx_scan, 0) + coalesce(seq_scan, 0) > 0`,
        )
      ).rows.map((r) => r.name);
    }).finally(() => fresh.end());
    expect(touched).toEqual([monthOf(recent.created)]);
    const { rows: sent } = await owner.query(
      "SELECT 1 FROM sync_job_items WHERE job_id = $1 AND error_code = $2",
      [recent.id, IN_FLIGHT],
    );
    expect(sent.length).toBe(4);
    // Without the job's month the same lookup probes every partition: what the predicate saves.
    const unpruned = await asTenant(owner, demo, async (c) => {
      await c.query("SET LOCAL ROLE inventory_app");
      return (
        await c.query("EXPLAIN (ANALYZE, FORMAT JSON) SELECT id FROM sync_job_items WHERE job_id = $1", [
          recent.id,
        ])
      ).rows[0]["QUERY PLAN"];
    });
    expect(partitionsRun(unpruned, "sync_job_items").length).toBeGreaterThanOrEqual(17);
  });

  it("answers a job's failures through GraphQL from its partition", async () => {
    const old = await job(demo, 100, "FAILED", 2);
    const res = await server.gql(FAILURES, { id: toGlobalId("SyncJob", old.id) });
    expect(res.errors).toBeUndefined();
    expect(res.data!.syncJob.failures.map((f: { sku: string }) => f.sku).sort()).toEqual(["SKU-1", "SKU-2"]);
  });

  it("keeps an item's partition key its job's creation time, and the items tenant-scoped", async () => {
    const recent = await job(demo, 3);
    await expect(
      asTenant(owner, demo, (c) =>
        c.query(
          `INSERT INTO sync_job_items (job_id, job_created_at, sku, platform, field, updated_at)
           VALUES ($1, $2, 'X', 'AMAZON', 'quantity', now())`,
          [recent.id, new Date(recent.created.getTime() - 40 * DAY)],
        ),
      ),
    ).rejects.toThrow(/foreign key/);
    // The resumed job's key: the same write twice is one item.
    await asTenant(owner, demo, (c) =>
      c.query(
        `INSERT INTO sync_job_items (job_id, job_created_at, sku, platform, field, updated_at)
         VALUES ($1, $2, 'SKU-1', 'AMAZON', 'quantity', now())
         ON CONFLICT (job_id, sku, platform, field, job_created_at) DO NOTHING`,
        [recent.id, recent.created],
      ),
    );
    const counts = await asTenant(owner, demo, async (c) => {
      await c.query("SET LOCAL ROLE inventory_app");
      return (await c.query("SELECT count(*)::int AS n FROM sync_job_items WHERE job_id = $1", [recent.id]))
        .rows[0].n;
    });
    expect(counts).toBe(3);
    const seen = await asTenant(owner, other, async (c) => {
      await c.query("SET LOCAL ROLE inventory_app");
      return (await c.query("SELECT count(*)::int AS n FROM sync_job_items")).rows[0].n;
    });
    expect(seen).toBe(0);
    const partition = (await names()).at(-1)!;
    await expect(
      asTenant(owner, demo, (c) =>
        c.query(`SET LOCAL ROLE inventory_app; SELECT count(*) FROM ${partition}`),
      ),
    ).rejects.toThrow(/permission denied/);
  });

  it("drops whole months past every tenant's retention, but a month with a job still running", async () => {
    await ensureJobItemPartitions(owner, new Date(Date.now() - 24 * 31 * DAY));
    const finished = await job(demo, 20 * 31, "SUCCEEDED", 6);
    await job(other, 20 * 31, "CANCELLED", 2);
    const running = await job(other, 18 * 31, "APPLYING", 2, "PENDING");
    const kept = await job(demo, 2, "SUCCEEDED", 2);
    expect(await names()).toEqual(
      expect.arrayContaining([monthOf(finished.created), monthOf(running.created)]),
    );

    const report = await applyHistoryRetention(owner, {
      archivesDir: archiveDir,
      steps: [jobItemsRetention],
    });
    expect(report.dropped).toContain(monthOf(finished.created));
    expect(report.dropped).not.toContain(monthOf(running.created));
    // Gone with their partition, not deleted row by row.
    expect(report.expired).toEqual({ sync_job_items: 0 });
    const after = await names();
    expect(after).not.toContain(monthOf(finished.created));
    expect(after).toContain(monthOf(running.created));
    const left = await owner.query<{ job_id: string; n: number }>(
      "SELECT job_id, count(*)::int AS n FROM sync_job_items WHERE job_id = ANY($1) GROUP BY 1",
      [[finished.id, running.id, kept.id]],
    );
    expect(Object.fromEntries(left.rows.map((r) => [r.job_id, r.n]))).toEqual({
      [running.id]: 2,
      [kept.id]: 2,
    });
    // Nothing more to drop on the next round; months ahead are still there.
    const again = await applyHistoryRetention(owner, { archivesDir: archiveDir, steps: [jobItemsRetention] });
    expect(again.dropped).toEqual([]);
    expect(await ensureJobItemPartitions(owner)).toBe(0);
  });

  it("drops whole months of webhook events past every retention, with the keys of their events", async () => {
    await ensureWebhookEventPartitions(owner, new Date(Date.now() - 24 * 31 * DAY));
    const store = (tenantId: string, eventId: string, daysAgo: number) =>
      asTenant(owner, tenantId, async (c) => {
        const at = new Date(Date.now() - daysAgo * DAY);
        const { rows } = await c.query<{ id: string }>(
          `INSERT INTO webhook_events (platform, event_id, event_type, payload, received_at)
           VALUES ('AMAZON', $1, 'ANY_OFFER_CHANGED', '{}', $2) RETURNING id`,
          [eventId, at],
        );
        await c.query(
          `INSERT INTO webhook_event_keys (platform, event_id, event_row_id, received_at) VALUES ('AMAZON', $1, $2, $3)`,
          [eventId, rows[0]!.id, at],
        );
        return at;
      });
    const old = await store(demo, "e-old", 20 * 31);
    await store(other, "e-old", 20 * 31);
    const recent = await store(demo, "e-new", 2);
    const eventMonth = (at: Date) =>
      `webhook_events_${at.getUTCFullYear()}_${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
    expect((await webhookEventPartitions(owner)).map((p) => p.name)).toContain(eventMonth(old));

    const report = await applyHistoryRetention(owner, {
      archivesDir: archiveDir,
      steps: [webhookEventsRetention],
    });
    expect(report.dropped).toContain(eventMonth(old));
    expect(report.expired).toEqual({ webhook_events: 0 });
    const names = (await webhookEventPartitions(owner)).map((p) => p.name);
    expect(names).not.toContain(eventMonth(old));
    expect(names).toContain(eventMonth(recent));
    const left = await owner.query("SELECT event_id FROM webhook_events ORDER BY 1");
    expect(left.rows.map((r) => r.event_id)).toEqual(["e-new"]);
    const keys = await owner.query("SELECT event_id FROM webhook_event_keys ORDER BY 1");
    expect(keys.rows.map((r) => r.event_id)).toEqual(["e-new"]);
    // The keys are the application's to add and read, tenant by tenant.
    const seen = await asTenant(owner, other, async (c) => {
      await c.query("SET LOCAL ROLE inventory_app");
      return (await c.query("SELECT count(*)::int AS n FROM webhook_event_keys")).rows[0].n;
    });
    expect(seen).toBe(0);
  });
});
