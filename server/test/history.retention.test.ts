import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyHistoryRetention,
  archivesDir,
  ensureHistoryPartitions,
  type RetentionStep,
} from "../src/modules/history";
import { ensureJobItemPartitions, jobItemsRetention } from "../src/modules/sync";
import { ensureWebhookEventPartitions, webhookEventsRetention } from "../src/modules/webhooks";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { asTenant, createTenant } from "./factories";

const DAY = 86_400_000;
const MONTH = 31 * DAY;
const RETENTION = `{ historyRetention { months keepsSince minMonths maxMonths } }`;
const UPDATE = `mutation($months: Int!) {
  updateHistoryRetention(input: { months: $months }) { retention { months } userErrors { field code message } }
}`;
const ARCHIVES = `{ historyArchives { id month part rows bytes sha256 downloadPath } }`;
const STEPS: RetentionStep[] = [jobItemsRetention, webhookEventsRetention];

interface Line {
  id: string;
  tenant_id: string;
  sku: string;
  new_value: number;
  created_at: string;
}

describe("history retention and archives", () => {
  let server: TestServer;
  let owner: pg.Pool;
  let demo = "";
  let other = "";
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "history-retention-"));
  const dir = archivesDir({ DATA_DIR: dataDir });

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
  /** The tenant's history rows as the archive writes them, oldest first. */
  const rowsOf = async (tenantId: string, where = "true") =>
    (
      await owner.query<{ line: Line }>(
        `SELECT row_to_json(h) AS line FROM sync_history h WHERE tenant_id = $1 AND ${where}
          ORDER BY created_at, id`,
        [tenantId],
      )
    ).rows.map((r) => r.line);
  const partitions = async () =>
    (
      await owner.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'sync_history'::regclass ORDER BY 1`,
      )
    ).rows.map((r) => r.name);
  const monthName = (daysAgo: number) => {
    const d = new Date(Date.now() - daysAgo * DAY);
    return `sync_history_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  };
  const count = async (table: string, tenantId: string) =>
    (await owner.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenantId])).rows[0].n;
  const download = (id: string, headers: Record<string, string>) =>
    fetch(`${server.url}/history-archives/${id}`, { headers });

  beforeAll(async () => {
    server = await startTestServer(
      async (dbUrl) => {
        const pool = createOwnerPool(dbUrl);
        demo = (await createTenant(pool, "demo")).tenantId;
        other = (await createTenant(pool, "other")).tenantId;
        await pool.end();
      },
      { env: { DATA_DIR: dataDir } },
    );
    owner = server.app.ownerPool;
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("lets the owner read and set the retention within bounds, audited, and nobody else", async () => {
    const read = await server.gql(RETENTION);
    expect(read.data!.historyRetention).toMatchObject({ months: 13, minMonths: 1, maxMonths: 120 });
    const now = new Date();
    expect(read.data!.historyRetention.keepsSince).toBe(
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 13, 1)).toISOString(),
    );

    for (const months of [0, 121, -1]) {
      const refused = await server.gql(UPDATE, { months });
      expect(refused.data!.updateHistoryRetention).toEqual({
        retention: null,
        userErrors: [expect.objectContaining({ field: ["input", "months"], code: "RETENTION_OUT_OF_RANGE" })],
      });
    }
    const wrongType = await server.gql(UPDATE, { months: "13; DROP TABLE tenants" });
    expect(wrongType.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");

    for (const role of ["VIEWER", "EDITOR", "ADMIN"] as const) {
      const headers = await server.as("demo", role);
      expect((await server.gql(RETENTION, {}, headers)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect((await server.gql(UPDATE, { months: 2 }, headers)).errors?.[0]?.extensions?.code).toBe(
        "FORBIDDEN",
      );
      expect((await server.gql(ARCHIVES, {}, headers)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }

    // The other tenant keeps two years; demo stays at 13 months after a round trip through 6.
    const otherOwner = await server.as("other");
    expect((await server.gql(UPDATE, { months: 24 }, otherOwner)).data!.updateHistoryRetention).toEqual({
      retention: { months: 24 },
      userErrors: [],
    });
    await server.gql(UPDATE, { months: 6 });
    expect((await server.gql(UPDATE, { months: 13 })).data!.updateHistoryRetention.retention).toEqual({
      months: 13,
    });
    const audit = await asTenant(owner, demo, async (c) =>
      (
        await c.query(
          `SELECT details FROM audit_events WHERE action = 'HISTORY_RETENTION_CHANGED' AND tenant_id = $1
            ORDER BY created_at`,
          [demo],
        )
      ).rows.map((r) => r.details),
    );
    expect(audit).toEqual([
      { from: 13, to: 6 },
      { from: 6, to: 13 },
    ]);
  });

  let archived: Awaited<ReturnType<typeof applyHistoryRetention>>["archived"] = [];
  let expectedDemo: Line[] = [];

  it("archives each tenant's months past its retention to gzip JSONL and deletes exactly those rows", async () => {
    await ensureHistoryPartitions(owner, new Date(Date.now() - 31 * MONTH));
    await write(demo, "OLD-30", 30 * 31, 4); // a month only demo has rows in, past both retentions
    await write(demo, "OLD-16", 16 * 31, 7_000); // more than one read batch
    await write(other, "OTHER-16", 16 * 31, 5); // other keeps 24 months: stays
    await write(demo, "NEW", 2, 3);
    await write(other, "NEW", 2, 2);
    // Job items and webhook events follow the same retention (finished jobs only), items by their job's age.
    await ensureJobItemPartitions(owner, new Date(Date.now() - 31 * MONTH));
    await ensureWebhookEventPartitions(owner, new Date(Date.now() - 31 * MONTH));
    const cutoff = (await server.gql(RETENTION)).data!.historyRetention.keepsSince as string;
    for (const tenant of [demo, other]) {
      await asTenant(owner, tenant, async (c) => {
        for (const [status, daysAgo, sku] of [
          ["SUCCEEDED", 500, "A"],
          ["SUCCEEDED", 2, "B"],
          ["APPLYING", 500, "C"],
        ] as const) {
          const job = await c.query<{ id: string }>(
            `INSERT INTO sync_jobs (type, status, created_at, updated_at) VALUES ('FULL', $1, $2, now()) RETURNING id`,
            [status, new Date(Date.now() - daysAgo * DAY)],
          );
          await c.query(
            `INSERT INTO sync_job_items (job_id, job_created_at, sku, platform, field, created_at, updated_at)
             SELECT id, created_at, $2, 'AMAZON', 'quantity', created_at, now() FROM sync_jobs WHERE id = $1`,
            [job.rows[0]!.id, sku],
          );
        }
        for (const [eventId, daysAgo] of [
          ["e-old", 500],
          ["e-new", 2],
        ] as const) {
          await c.query(
            `INSERT INTO webhook_events (platform, event_id, event_type, payload, received_at)
             VALUES ('AMAZON', $1, 'ANY_OFFER_CHANGED', '{}', $2)`,
            [eventId, new Date(Date.now() - daysAgo * DAY)],
          );
        }
      });
    }
    expectedDemo = await rowsOf(demo, `created_at < '${cutoff}'`);
    expect(expectedDemo).toHaveLength(7_004);
    const otherBefore = await rowsOf(other);
    const oldOnlyDemo = monthName(30 * 31);
    expect(await partitions()).toContain(oldOnlyDemo);

    // A run that died after writing its file but before the delete committed left this behind.
    const stale = path.join(
      dir,
      demo,
      `${new Date(Date.now() - 16 * 31 * DAY).toISOString().slice(0, 7)}.jsonl.gz`,
    );
    fs.mkdirSync(path.dirname(stale), { recursive: true });
    fs.writeFileSync(stale, "not the archive");

    // A delete that fails after the file is written and fsynced (as a crash there would): nothing recorded,
    // every row still in the database; the next run writes the same files again.
    const oldest = `"${oldOnlyDemo}"`;
    await owner.query(`CREATE OR REPLACE FUNCTION public.test_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'simulated crash'; END $$`);
    await owner.query(
      `CREATE TRIGGER refuse_delete BEFORE DELETE ON ${oldest} FOR EACH ROW EXECUTE FUNCTION public.test_refuse_delete()`,
    );
    await expect(applyHistoryRetention(owner, { archivesDir: dir, steps: STEPS })).rejects.toThrow(
      /simulated crash/,
    );
    expect(fs.readdirSync(path.join(dir, demo))).toContain(
      `${new Date(Date.now() - 30 * 31 * DAY).toISOString().slice(0, 7)}.jsonl.gz`,
    );
    expect((await owner.query("SELECT count(*)::int AS n FROM history_archives")).rows[0].n).toBe(0);
    expect(await rowsOf(demo, `created_at < '${cutoff}'`)).toEqual(expectedDemo);
    await owner.query(`DROP TRIGGER refuse_delete ON ${oldest}`);
    await owner.query("DROP FUNCTION public.test_refuse_delete()");

    const report = await applyHistoryRetention(owner, { archivesDir: dir, steps: STEPS });
    archived = report.archived;
    expect(archived.map((a) => [a.tenantId, a.part, a.rows]).sort()).toEqual(
      [
        [demo, 1, 4],
        [demo, 1, 7_000],
      ].sort(),
    );
    const lines = archived
      .sort((a, b) => a.month.localeCompare(b.month))
      .flatMap((a) => {
        const file = fs.readFileSync(a.file);
        expect(a.file.startsWith(path.join(dir, demo) + path.sep)).toBe(true);
        expect(file.length).toBe(a.bytes);
        expect(createHash("sha256").update(file).digest("hex")).toBe(a.sha256);
        return gunzipSync(file)
          .toString("utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Line);
      });
    expect(lines).toEqual(expectedDemo);
    expect(fs.existsSync(`${stale}.partial`)).toBe(false);

    // Demo keeps its recent rows only; the other tenant is untouched.
    expect((await rowsOf(demo)).map((l) => l.sku)).toEqual(["NEW", "NEW", "NEW"]);
    expect(await rowsOf(other)).toEqual(otherBefore);
    // The month only demo had is gone; the one the other tenant still keeps rows in stays.
    const after = await partitions();
    expect(report.dropped).toContain(oldOnlyDemo);
    expect(after).not.toContain(oldOnlyDemo);
    expect(after).toContain(monthName(16 * 31));

    expect(report.expired).toEqual({ sync_job_items: 1, webhook_events: 1 });
    const items = await owner.query("SELECT tenant_id, sku FROM sync_job_items ORDER BY tenant_id, sku");
    expect(items.rows.filter((r) => r.tenant_id === demo).map((r) => r.sku)).toEqual(["B", "C"]);
    expect(items.rows.filter((r) => r.tenant_id === other).map((r) => r.sku)).toEqual(["A", "B", "C"]);
    expect(await count("webhook_events", demo)).toBe(1);
    expect(await count("webhook_events", other)).toBe(2);

    const records = await owner.query(
      "SELECT tenant_id, rows, bytes::int AS bytes, sha256, file FROM history_archives ORDER BY month",
    );
    expect(records.rows.map((r) => [r.tenant_id, r.rows, r.bytes, r.sha256])).toEqual(
      archived.map((a) => [a.tenantId, a.rows, a.bytes, a.sha256]),
    );
  });

  it("does nothing on a second run", async () => {
    const files = fs.readdirSync(path.join(dir, demo)).sort();
    const before = await partitions();
    const again = await applyHistoryRetention(owner, { archivesDir: dir, steps: STEPS });
    expect(again).toEqual({ archived: [], dropped: [], expired: { sync_job_items: 0, webhook_events: 0 } });
    expect(fs.readdirSync(path.join(dir, demo)).sort()).toEqual(files);
    expect(await partitions()).toEqual(before);
    expect((await owner.query("SELECT count(*)::int AS n FROM history_archives")).rows[0].n).toBe(2);
  });

  it("lists the archives to the owner and streams them to the owner only", async () => {
    const listed = (await server.gql(ARCHIVES)).data!.historyArchives as {
      id: string;
      month: string;
      rows: number;
      sha256: string;
      downloadPath: string;
    }[];
    expect(listed.map((a) => a.rows)).toEqual([7_000, 4]);
    const otherOwner = await server.as("other");
    expect((await server.gql(ARCHIVES, {}, otherOwner)).data!.historyArchives).toEqual([]);

    const first = listed[0]!;
    const ownerHeaders = await server.as("demo");
    const res = await fetch(`${server.url}${first.downloadPath}`, { headers: ownerHeaders });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/gzip");
    expect(res.headers.get("content-disposition")).toContain(`history-demo-${first.month}.jsonl.gz`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(createHash("sha256").update(body).digest("hex")).toBe(first.sha256);
    expect(gunzipSync(body).toString("utf8").split("\n").filter(Boolean)).toHaveLength(7_000);

    const id = first.downloadPath.split("/").pop()!;
    expect((await download(id, await server.as("demo", "VIEWER"))).status).toBe(403);
    expect((await download(id, await server.as("demo", "ADMIN"))).status).toBe(403);
    expect((await download(id, {})).status).toBe(401);
    // Another tenant's owner, by header or by parameter, never sees it.
    const foreign = await download(id, otherOwner);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ error: { code: "NOT_FOUND", message: "No such archive" } });
    expect(
      (
        await fetch(`${server.url}${first.downloadPath}?tenant=other`, {
          headers: { authorization: otherOwner.authorization! },
        })
      ).status,
    ).toBe(404);
    // A tenant the caller is not a member of.
    expect(
      (
        await fetch(`${server.url}${first.downloadPath}?tenant=other`, {
          headers: { authorization: ownerHeaders.authorization! },
        })
      ).status,
    ).toBe(403);

    // Crafted ids and paths.
    for (const crafted of [
      first.id,
      "..%2F..%2F..%2Fetc%2Fpasswd",
      `${demo}%2F${first.month}.jsonl.gz`,
      "00000000-0000-0000-0000-000000000000",
      `${id}%00`,
      "x".repeat(90),
    ]) {
      const answer = await download(crafted, ownerHeaders);
      expect(answer.status, crafted.slice(0, 40)).toBe(404);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    }
    // An id longer than any route parameter the server takes.
    expect((await download("x".repeat(5_000), ownerHeaders)).status).toBe(414);
    // Dot segments sent as they are (an HTTP client would resolve them first): never a file, never a 5xx.
    const raw = (target: string) =>
      new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        const { hostname, port } = new URL(server.url);
        const req = http.get({ hostname, port, path: target, headers: ownerHeaders }, (res) => {
          let body = "";
          res.on("data", (chunk) => {
            body += String(chunk);
          });
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }),
          );
        });
        req.on("error", reject);
      });
    for (const trick of [
      "/history-archives/..",
      "/history-archives/%2e%2e",
      "/history-archives/..%2f..%2fpackage.json",
    ]) {
      const answer = await raw(trick);
      expect(answer.status, trick).toBe(404);
    }
    for (const trick of [
      "/history-archives/../../etc/passwd",
      `/history-archives/${demo}/${first.month}.jsonl.gz`,
      `/history-archives/../archives/${demo}/${first.month}.jsonl.gz`,
    ]) {
      const answer = await raw(trick);
      expect(answer.type, trick).not.toBe("application/gzip");
      expect(answer.status, trick).toBeLessThan(500);
      expect(answer.body).not.toContain("root:");
    }
    // A record whose file name points outside its folder (written by anyone but the archiver) is refused.
    const forged = await asTenant(
      owner,
      demo,
      async (c) =>
        (
          await c.query<{ id: string }>(
            `INSERT INTO history_archives (month, part, rows, bytes, sha256, file)
           VALUES ('2020-01-01', 1, 1, 1, 'x', '../../package.json') RETURNING id`,
          )
        ).rows[0]!.id,
    );
    expect((await download(forged, ownerHeaders)).status).toBe(404);
    await owner.query("DELETE FROM history_archives WHERE id = $1", [forged]);
  });

  it("reads recent history from recent partitions only, after the archive", async () => {
    const since = new Date(Date.now() - 30 * DAY);
    const plan = await asTenant(owner, demo, async (c) => {
      await c.query("SET LOCAL ROLE inventory_app");
      const { rows } = await c.query(
        `EXPLAIN (FORMAT JSON) SELECT * FROM sync_history
          WHERE sku = $1 AND created_at >= $2 ORDER BY created_at DESC, id DESC LIMIT 50`,
        ["NEW", since],
      );
      return JSON.stringify(rows[0]["QUERY PLAN"]);
    });
    const scanned = [...new Set(plan.match(/sync_history_\d{4}_\d{2}/g) ?? [])];
    const sinceMonth = `sync_history_${since.toISOString().slice(0, 7).replace("-", "_")}`;
    expect(scanned.length).toBeGreaterThanOrEqual(1);
    expect(
      scanned.every((name) => name >= sinceMonth),
      scanned.join(", "),
    ).toBe(true);
    expect(scanned.length).toBeLessThanOrEqual(5);
    const res = await server.gql(
      `query($filter: SyncHistoryFilter) { syncHistory(filter: $filter, first: 50) { totalCount } }`,
      { filter: { sku: "NEW" } },
    );
    expect(res.data!.syncHistory.totalCount).toBe(3);
  });
});
