import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureHistoryPartitions } from "../src/modules/history";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { asTenant, createTenant } from "./factories";

const DAY = 86_400_000;
const HISTORY = `query($filter: SyncHistoryFilter) { syncHistory(filter: $filter, first: 50) { totalCount nodes { sku createdAt } } }`;

describe("history partitioned by month", () => {
  let server: TestServer;
  let owner: pg.Pool;
  let demo = "";
  let other = "";
  const archiveDir = fs.mkdtempSync(path.join(os.tmpdir(), "history-archive-"));

  /** History rows written `daysAgo` days back, as the tenant writes them. */
  const write = (tenantId: string, sku: string, daysAgo: number, count = 1) =>
    asTenant(owner, tenantId, (c) =>
      c.query(
        `INSERT INTO sync_history (sku, actor_type, field, old_value, new_value, created_at)
         SELECT $1, 'SYSTEM', 'quantity', to_jsonb(g), to_jsonb(g + 1), $2::timestamptz + g * interval '1 second'
           FROM generate_series(1, $3) g`,
        [sku, new Date(Date.now() - daysAgo * DAY), count],
      ),
    );
  const partitions = async () =>
    (
      await owner.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'sync_history'::regclass ORDER BY 1`,
      )
    ).rows.map((r) => r.name);

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
    const names = await partitions();
    expect(names.length).toBeGreaterThanOrEqual(17);
    expect(names.every((n) => /^sync_history_\d{4}_\d{2}$/.test(n))).toBe(true);
    const now = new Date();
    const month = (offset: number) => {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
      return `sync_history_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
    };
    expect(names).toEqual(expect.arrayContaining([month(-13), month(0), month(3)]));
    expect(await ensureHistoryPartitions(owner)).toBe(0);
  });

  it("reads one SKU's last 30 days from the recent partitions only", async () => {
    await write(demo, "SKU-1", 2, 3);
    await write(demo, "SKU-1", 200, 2);
    const since = new Date(Date.now() - 30 * DAY);
    const plan = await asTenant(owner, demo, async (c) => {
      await c.query("SET LOCAL ROLE inventory_app");
      const { rows } = await c.query(
        `EXPLAIN (FORMAT JSON) SELECT * FROM sync_history
          WHERE sku = $1 AND created_at >= $2 ORDER BY created_at DESC, id DESC LIMIT 50`,
        ["SKU-1", since],
      );
      return JSON.stringify(rows[0]["QUERY PLAN"]);
    });
    const scanned = [...new Set(plan.match(/sync_history_\d{4}_\d{2}/g) ?? [])];
    // Only the months since then (and the empty ones made ahead): never the 200-day-old one.
    const sinceMonth = `sync_history_${since.toISOString().slice(0, 7).replace("-", "_")}`;
    expect(scanned.length).toBeGreaterThanOrEqual(1);
    expect(
      scanned.every((name) => name >= sinceMonth),
      scanned.join(", "),
    ).toBe(true);
    expect(scanned.length).toBeLessThanOrEqual(5);

    const res = await server.gql(HISTORY, { filter: { sku: "SKU-1", since: since.toISOString() } });
    expect(res.data!.syncHistory.totalCount).toBe(3);
    const all = await server.gql(HISTORY, { filter: { sku: "SKU-1" } });
    expect(all.data!.syncHistory.totalCount).toBe(5);
  });

  it("stays append-only and tenant-scoped through the partitions", async () => {
    await expect(
      asTenant(owner, demo, (c) =>
        c.query("SET LOCAL ROLE inventory_app; UPDATE sync_history SET reason = 'x'"),
      ),
    ).rejects.toThrow(/permission denied|append-only/);
    const seen = await asTenant(owner, other, async (c) => {
      await c.query("SET LOCAL ROLE inventory_app");
      return (await c.query("SELECT count(*)::int AS n FROM sync_history")).rows[0].n;
    });
    expect(seen).toBe(0);
    // A partition itself is not the application's to read: only through sync_history and its policy.
    const partition = (await partitions()).at(-1)!;
    await expect(
      asTenant(owner, demo, (c) =>
        c.query(`SET LOCAL ROLE inventory_app; SELECT count(*) FROM ${partition}`),
      ),
    ).rejects.toThrow(/permission denied/);
  });
});
