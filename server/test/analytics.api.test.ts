import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshTenantRollups } from "../src/modules/analytics";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { apiKeyOf } from "./auth";
import { asTenant, createTenant, type ItemFixture, insertItems } from "./factories";

const DAY = 86_400_000;
const TODAY = Math.floor(Date.now() / DAY) * DAY;
const dayOf = (daysAgo: number) => new Date(TODAY - daysAgo * DAY).toISOString().slice(0, 10);
const at = (daysAgo: number, hour = 1) => new Date(TODAY - daysAgo * DAY + hour * 3_600_000);

// 12 items across FBA and FBM, one without a price, one product without a cost, listings on two platforms.
const ITEMS: (ItemFixture & { cost: string | null })[] = Array.from({ length: 12 }, (_, i) => ({
  sku: `AN-${String(i).padStart(2, "0")}`,
  title: `Item ${i}`,
  quantity: i * 3,
  reserved: i % 3 === 0 && i > 0 ? 1 : 0,
  price: i === 5 ? null : `${10 + i}.50`,
  cost: i === 2 ? null : `${5 + i}.25`,
  status: i === 7 ? "INACTIVE" : "ACTIVE",
  fulfillment: i % 3 === 0 ? "FBA" : "FBM",
  listings: [
    { platform: "AMAZON", quantity: i * 3, price: `${10 + i}.50`, status: i === 4 ? "INACTIVE" : "ACTIVE" },
    ...(i % 2 === 0
      ? [
          {
            platform: "MEDUSA" as const,
            quantity: 2,
            price: "5.00",
            status: i === 6 ? "SUPPRESSED" : "ACTIVE",
          },
        ]
      : []),
  ],
}));

type Results = Record<string, { read: number; updated: number; failed: number; conflicts: number }>;
interface JobFixture {
  daysAgo: number;
  type: "FULL" | "PARTIAL" | "INCREMENTAL";
  status: "SUCCEEDED" | "FAILED" | "CANCELLED" | "APPLYING";
  ms: number;
  processed: number;
  conflicts: number;
  results: Results;
  dryRun?: boolean;
}
const both = (read: number, updated: number, failed: number, conflicts: number): Results => ({
  AMAZON: { read, updated, failed, conflicts },
  MEDUSA: { read: read / 2, updated: 1, failed: failed * 2, conflicts: 0 },
});
const JOBS: JobFixture[] = [
  {
    daysAgo: 0,
    type: "FULL",
    status: "SUCCEEDED",
    ms: 4_000,
    processed: 100,
    conflicts: 3,
    results: both(100, 10, 0, 3),
  },
  {
    daysAgo: 1,
    type: "FULL",
    status: "SUCCEEDED",
    ms: 2_000,
    processed: 80,
    conflicts: 1,
    results: both(80, 5, 1, 1),
  },
  {
    daysAgo: 1,
    type: "FULL",
    status: "FAILED",
    ms: 10_000,
    processed: 40,
    conflicts: 0,
    results: both(40, 0, 4, 0),
  },
  {
    daysAgo: 3,
    type: "FULL",
    status: "SUCCEEDED",
    ms: 3_000,
    processed: 120,
    conflicts: 6,
    results: both(120, 12, 0, 6),
  },
  {
    daysAgo: 2,
    type: "PARTIAL",
    status: "SUCCEEDED",
    ms: 500,
    processed: 10,
    conflicts: 0,
    results: both(10, 2, 0, 0),
  },
  {
    daysAgo: 2,
    type: "PARTIAL",
    status: "CANCELLED",
    ms: 700,
    processed: 4,
    conflicts: 0,
    results: both(4, 0, 0, 0),
  },
  {
    daysAgo: 4,
    type: "INCREMENTAL",
    status: "SUCCEEDED",
    ms: 1_500,
    processed: 30,
    conflicts: 2,
    results: both(30, 3, 2, 2),
  },
  // Left out: a dry run, a job still running, a job before the period.
  {
    daysAgo: 1,
    type: "FULL",
    status: "SUCCEEDED",
    ms: 99_000,
    processed: 999,
    conflicts: 9,
    results: both(999, 0, 0, 9),
    dryRun: true,
  },
  {
    daysAgo: 0,
    type: "FULL",
    status: "APPLYING",
    ms: 99_000,
    processed: 999,
    conflicts: 9,
    results: both(999, 9, 9, 9),
  },
  {
    daysAgo: 20,
    type: "FULL",
    status: "SUCCEEDED",
    ms: 99_000,
    processed: 999,
    conflicts: 9,
    results: both(999, 9, 9, 9),
  },
];

interface AlertFixture {
  daysAgo: number;
  resolvedDaysAgo?: number;
  acknowledged?: boolean;
  type: "LOW_STOCK" | "OUT_OF_STOCK" | "SYNC_ERROR";
  priority: "CRITICAL" | "HIGH" | "MEDIUM" | "LOW";
}
const ALERTS: AlertFixture[] = [
  { daysAgo: 10, type: "LOW_STOCK", priority: "MEDIUM" },
  { daysAgo: 10, resolvedDaysAgo: 5, type: "LOW_STOCK", priority: "MEDIUM" },
  { daysAgo: 6, resolvedDaysAgo: 2, type: "OUT_OF_STOCK", priority: "CRITICAL" },
  { daysAgo: 5, type: "OUT_OF_STOCK", priority: "HIGH", acknowledged: true },
  { daysAgo: 3, resolvedDaysAgo: 3, type: "SYNC_ERROR", priority: "HIGH" },
  { daysAgo: 2, type: "SYNC_ERROR", priority: "LOW" },
  { daysAgo: 1, resolvedDaysAgo: 0, type: "LOW_STOCK", priority: "MEDIUM" },
  { daysAgo: 0, type: "OUT_OF_STOCK", priority: "CRITICAL" },
];

const ANALYTICS = `query($period: AnalyticsPeriod, $from: String, $to: String) {
  analytics(period: $period, from: $from, to: $to) {
    range { from to days }
    products { totalItems byStatus { status count } byPlatform { platform items listings byStatus { status count } } }
    inventoryValue {
      total { items units valueAtPrice valueAtCost itemsWithoutPrice itemsWithoutCost }
      byPlatform { platform listings units valueAtPrice valueAtCost }
      daily { day units valueAtPrice valueAtCost }
    }
    stockDistribution { channel items units availableUnits valueAtPrice valueAtCost }
    alerts {
      open openByType { type count } openByPriority { priority count }
      raised raisedByType { type count } raisedByPriority { priority count }
      daily { day raised resolved open }
    }
    sync {
      byType { jobType platform jobs succeeded failed successRate medianDurationMs p95DurationMs itemsPerSecond items conflicts conflictsPerJob conflictRate }
      byTypeAndPlatform { jobType platform jobs succeeded failed successRate medianDurationMs p95DurationMs itemsPerSecond items conflicts }
      daily { day jobs succeeded failed items conflicts }
    }
    platforms { platform jobs failedJobs writes failedWrites errorRate jobErrorRate conflicts conflictRate }
  }
}`;

const cents = (money: string | null) => (money === null ? 0 : Math.round(Number(money) * 100));
const money = (c: number) => (c / 100).toFixed(2);
/** PostgreSQL's percentile_cont: linear between the two nearest ranks. */
function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

describe("analytics query", () => {
  let server: TestServer;
  let owner: pg.Pool;
  let demoId: string;

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const pool = createOwnerPool(dbUrl);
      const demo = await createTenant(pool, "demo", { low: 10, out: 0 });
      demoId = demo.tenantId;
      await insertItems(pool, demo, ITEMS);
      await asTenant(pool, demo.tenantId, async (c) => {
        for (const item of ITEMS) {
          await c.query("UPDATE products SET cost = $2 WHERE sku = $1", [item.sku, item.cost]);
        }
        for (const job of JOBS) {
          const created = at(job.daysAgo);
          await c.query(
            `INSERT INTO sync_jobs (type, status, dry_run, processed_items, updated_items, failed_items,
               conflict_count, platform_results, started_at, finished_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 0, 0, $5, $6, $7, $8, $7, now())`,
            [
              job.type,
              job.status,
              job.dryRun ?? false,
              job.processed,
              job.conflicts,
              JSON.stringify(job.results),
              created,
              job.status === "APPLYING" ? null : new Date(created.getTime() + job.ms),
            ],
          );
        }
        for (const alert of ALERTS) {
          const resolved = alert.resolvedDaysAgo === undefined ? null : at(alert.resolvedDaysAgo, 2);
          const status = resolved ? "RESOLVED" : alert.acknowledged ? "ACKNOWLEDGED" : "OPEN";
          await c.query(
            `INSERT INTO alerts (type, priority, status, title, message, created_at, resolved_at, updated_at)
             VALUES ($1, $2, $3, 't', 'm', $4, $5, now())`,
            [alert.type, alert.priority, status, at(alert.daysAgo), resolved],
          );
        }
      });
      // Another tenant's rows never count.
      const other = await createTenant(pool, "other");
      await insertItems(pool, other, [{ sku: "OTHER-1", title: "Foreign", quantity: 500, price: "99.00" }]);
      await asTenant(pool, other.tenantId, async (c) => {
        await c.query(
          `INSERT INTO sync_jobs (type, status, processed_items, platform_results, started_at, finished_at, created_at, updated_at)
           VALUES ('FULL', 'FAILED', 5000, '{"AMAZON": {"read": 5000, "updated": 0, "failed": 5000, "conflicts": 0}}',
                   now() - interval '1 hour', now(), now() - interval '1 hour', now())`,
        );
        await c.query(
          `INSERT INTO alerts (type, priority, title, message, updated_at) VALUES ('SYNC_ERROR', 'HIGH', 't', 'm', now())`,
        );
      });
      await pool.end();
    });
    owner = server.app.ownerPool;
  });

  afterAll(() => server?.close());

  async function analytics(variables: Record<string, unknown> = { period: "LAST_7_DAYS" }) {
    const res = await server.gql(ANALYTICS, variables);
    expect(res.errors).toBeUndefined();
    return res.data!.analytics;
  }

  async function inventoryCount(filter: Record<string, unknown> = {}): Promise<number> {
    const res = await server.gql(
      `query($filter: InventoryFilter) { inventory(filter: $filter, first: 1) { totalCount } }`,
      {
        filter,
      },
    );
    expect(res.errors).toBeUndefined();
    return res.data!.inventory.totalCount;
  }

  it("counts items by status and platform as the inventory query's totals do", async () => {
    const { products, stockDistribution } = await analytics();
    expect(products.totalItems).toBe(ITEMS.length);
    expect(products.totalItems).toBe(await inventoryCount());
    for (const { status, count } of products.byStatus) {
      expect(count).toBe(await inventoryCount({ status: [status] }));
      expect(count).toBe(ITEMS.filter((i) => (i.status ?? "ACTIVE") === status).length);
    }
    expect(products.byStatus.map((s: { status: string }) => s.status)).toEqual(["ACTIVE", "INACTIVE"]);
    for (const platform of products.byPlatform) {
      expect(platform.items).toBe(await inventoryCount({ platform: [platform.platform] }));
      const listings = ITEMS.flatMap((i) => i.listings!.filter((l) => l.platform === platform.platform));
      expect(platform.listings).toBe(listings.length);
      const statuses = Object.entries(
        listings.reduce<Record<string, number>>((acc, l) => {
          acc[l.status ?? "ACTIVE"] = (acc[l.status ?? "ACTIVE"] ?? 0) + 1;
          return acc;
        }, {}),
      ).map(([status, count]) => ({ status, count }));
      expect([...platform.byStatus].sort((a, b) => a.status.localeCompare(b.status))).toEqual(
        statuses.sort((a, b) => a.status.localeCompare(b.status)),
      );
    }
    expect(products.byPlatform.map((p: { platform: string }) => p.platform)).toEqual(["AMAZON", "MEDUSA"]);
    for (const channel of stockDistribution) {
      expect(channel.items).toBe(await inventoryCount({ fulfillmentChannel: [channel.channel] }));
    }
  });

  it("values the stock at price and at cost, overall, per channel and per platform", async () => {
    const { inventoryValue, stockDistribution } = await analytics();
    const value = (items: typeof ITEMS) => ({
      units: items.reduce((s, i) => s + i.quantity!, 0),
      valueAtPrice: money(items.reduce((s, i) => s + i.quantity! * cents(i.price ?? null), 0)),
      valueAtCost: money(items.reduce((s, i) => s + i.quantity! * cents(i.cost), 0)),
    });
    expect(inventoryValue.total).toEqual({
      items: ITEMS.length,
      ...value(ITEMS),
      itemsWithoutPrice: 1,
      itemsWithoutCost: 1,
    });
    for (const channel of ["FBA", "FBM"] as const) {
      const items = ITEMS.filter((i) => i.fulfillment === channel);
      expect(stockDistribution.find((s: { channel: string }) => s.channel === channel)).toEqual({
        channel,
        items: items.length,
        availableUnits: items.reduce((s, i) => s + i.quantity! - i.reserved!, 0),
        ...value(items),
      });
    }
    for (const platform of ["AMAZON", "MEDUSA"] as const) {
      const listed = ITEMS.flatMap((i) =>
        i.listings!.filter((l) => l.platform === platform).map((l) => ({ ...l, cost: i.cost })),
      );
      expect(inventoryValue.byPlatform.find((p: { platform: string }) => p.platform === platform)).toEqual({
        platform,
        listings: listed.length,
        units: listed.reduce((s, l) => s + l.quantity, 0),
        valueAtPrice: money(listed.reduce((s, l) => s + l.quantity * cents(l.price), 0)),
        valueAtCost: money(listed.reduce((s, l) => s + l.quantity * cents(l.cost), 0)),
      });
    }
    // The inventory page's rows add up to the same value.
    const res = await server.gql(`{ inventory(first: 250) { nodes { quantity price } } }`);
    const rows: { quantity: number; price: string | null }[] = res.data!.inventory.nodes;
    expect(money(rows.reduce((s, r) => s + r.quantity * cents(r.price), 0))).toBe(
      inventoryValue.total.valueAtPrice,
    );
    // Today's point is the live total.
    expect(inventoryValue.daily.at(-1)).toEqual({ day: dayOf(0), ...value(ITEMS) });
  });

  it("counts alerts open now by type and priority, raised in the period, and open at each day's end", async () => {
    const { alerts } = await analytics();
    const open = ALERTS.filter((a) => a.resolvedDaysAgo === undefined);
    expect(alerts.open).toBe(open.length);
    const count = <K extends "type" | "priority">(list: AlertFixture[], key: K) =>
      Object.entries(
        list.reduce<Record<string, number>>((acc, a) => {
          acc[a[key]] = (acc[a[key]] ?? 0) + 1;
          return acc;
        }, {}),
      )
        .map(([k, n]) => ({ [key]: k, count: n }))
        .sort((a, b) => String(a[key]).localeCompare(String(b[key])));
    expect(alerts.openByType).toEqual(count(open, "type"));
    expect(alerts.openByPriority).toEqual(count(open, "priority"));
    const raised = ALERTS.filter((a) => a.daysAgo <= 6);
    expect(alerts.raised).toBe(raised.length);
    expect(alerts.raisedByType).toEqual(count(raised, "type"));
    expect(alerts.raisedByPriority).toEqual(count(raised, "priority"));
    expect(alerts.daily).toEqual(
      [6, 5, 4, 3, 2, 1, 0].map((d) => ({
        day: dayOf(d),
        raised: ALERTS.filter((a) => a.daysAgo === d).length,
        resolved: ALERTS.filter((a) => a.resolvedDaysAgo === d).length,
        open: ALERTS.filter(
          (a) => a.daysAgo >= d && (a.resolvedDaysAgo === undefined || a.resolvedDaysAgo < d),
        ).length,
      })),
    );
  });

  it("measures sync jobs per type and platform: success rate, median and p95 duration, items per second", async () => {
    const { sync, platforms } = await analytics();
    const counted = JOBS.filter((j) => !j.dryRun && j.status !== "APPLYING" && j.daysAgo <= 6);
    const types = [...new Set(counted.map((j) => j.type))].sort();
    expect(sync.byType).toEqual(
      types.map((type) => {
        const jobs = counted.filter((j) => j.type === type);
        const items = jobs.reduce((s, j) => s + j.processed, 0);
        const conflicts = jobs.reduce((s, j) => s + j.conflicts, 0);
        const ms = jobs.map((j) => j.ms);
        return {
          jobType: type,
          platform: null,
          jobs: jobs.length,
          succeeded: jobs.filter((j) => j.status === "SUCCEEDED").length,
          failed: jobs.filter((j) => j.status === "FAILED").length,
          successRate: jobs.filter((j) => j.status === "SUCCEEDED").length / jobs.length,
          medianDurationMs: expect.closeTo(percentile(ms, 0.5), 6),
          p95DurationMs: expect.closeTo(percentile(ms, 0.95), 6),
          itemsPerSecond: expect.closeTo(items / (ms.reduce((a, b) => a + b, 0) / 1000), 6),
          items,
          conflicts,
          conflictsPerJob: conflicts / jobs.length,
          conflictRate: conflicts / items,
        };
      }),
    );
    const full = counted.filter((j) => j.type === "FULL");
    const medusa = sync.byTypeAndPlatform.find(
      (p: { jobType: string; platform: string }) => p.jobType === "FULL" && p.platform === "MEDUSA",
    );
    const read = full.reduce((s, j) => s + j.results.MEDUSA!.read, 0);
    expect(medusa).toMatchObject({ jobs: full.length, items: read, conflicts: 0 });
    expect(medusa.itemsPerSecond).toBeCloseTo(read / (full.reduce((s, j) => s + j.ms, 0) / 1000), 6);
    expect(sync.daily).toHaveLength(7);
    expect(sync.daily.map((d: { jobs: number }) => d.jobs)).toEqual(
      [6, 5, 4, 3, 2, 1, 0].map((d) => counted.filter((j) => j.daysAgo === d).length),
    );

    for (const platform of ["AMAZON", "MEDUSA"]) {
      const r = counted.map((j) => j.results[platform]!);
      const failed = r.reduce((s, x) => s + x.failed, 0);
      const writes = failed + r.reduce((s, x) => s + x.updated, 0);
      const conflicts = r.reduce((s, x) => s + x.conflicts, 0);
      expect(platforms.find((p: { platform: string }) => p.platform === platform)).toEqual({
        platform,
        jobs: counted.length,
        failedJobs: counted.filter((j) => j.status === "FAILED").length,
        writes,
        failedWrites: failed,
        errorRate: failed / writes,
        jobErrorRate: counted.filter((j) => j.status === "FAILED").length / counted.length,
        conflicts,
        conflictRate: conflicts / r.reduce((s, x) => s + x.read, 0),
      });
    }
  });

  it("answers the same from the daily rollups as from the jobs and alerts themselves", async () => {
    const periods = [{ period: "LAST_7_DAYS" }, { period: "LAST_30_DAYS" }, { from: dayOf(5), to: dayOf(2) }];
    // The server rolled every tenant up as it started.
    const started = await owner.query(
      "SELECT tenant_id FROM analytics_rollup_state WHERE rolled_through = $1",
      [dayOf(0)],
    );
    expect(started.rowCount).toBe(2);
    await owner.query("DELETE FROM analytics_rollup_state WHERE tenant_id = $1", [demoId]);
    const live = await Promise.all(periods.map((p) => analytics(p)));
    await refreshTenantRollups(server.app.pool, demoId);
    const { rows } = await owner.query(
      `SELECT (SELECT count(*) FROM analytics_sync_daily WHERE tenant_id = $1)::int AS sync,
              (SELECT count(*) FROM analytics_alert_daily WHERE tenant_id = $1)::int AS alerts,
              (SELECT rolled_through::text FROM analytics_rollup_state WHERE tenant_id = $1) AS rolled`,
      [demoId],
    );
    expect(rows[0]).toMatchObject({ rolled: dayOf(0) });
    expect(rows[0].sync).toBeGreaterThan(0);
    expect(rows[0].alerts).toBeGreaterThan(0);
    const rolled = await Promise.all(periods.map((p) => analytics(p)));
    expect(rolled).toEqual(live);
    expect(rolled[2].range).toEqual({ from: dayOf(5), to: dayOf(2), days: 4 });
    expect(rolled[2].sync.daily.map((d: { day: string }) => d.day)).toEqual([
      dayOf(5),
      dayOf(4),
      dayOf(3),
      dayOf(2),
    ]);
  });

  it("answers hostile periods with BAD_USER_INPUT naming the argument", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ from: "2026-02-30" }, "from"],
      [{ from: "yesterday" }, "from"],
      [{ from: `${dayOf(3)}T00:00:00Z` }, "from"],
      [{ from: "0001-01-01", to: "0001-12-31" }, "from"],
      [{ from: dayOf(400) }, "from"],
      [{ from: dayOf(1), to: dayOf(3) }, "from"],
      [{ to: dayOf(1) }, "from"],
      [{ from: dayOf(1), to: new Date(TODAY + 2 * DAY).toISOString().slice(0, 10) }, "to"],
      [{ period: "LAST_7_DAYS", from: dayOf(3) }, "period"],
      [{ from: "9".repeat(10_000) }, "from"],
      [{ from: "2026-01-01\u0000" }, "from"],
    ];
    for (const [variables, field] of cases) {
      const res = await server.gql(
        `query($period: AnalyticsPeriod, $from: String, $to: String) {
        analytics(period: $period, from: $from, to: $to) { range { from } } }`,
        variables,
      );
      expect(res.data?.analytics ?? null, JSON.stringify(variables)).toBeNull();
      expect(res.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({
        code: "BAD_USER_INPUT",
        field,
      });
      expect(JSON.stringify(res.errors)).not.toMatch(/sql|stack|prisma/i);
    }
    const res = await server.gql(`{ analytics(period: LAST_CENTURY) { range { from } } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const longest = await server.gql(
      `query($from: String, $to: String) { analytics(from: $from, to: $to) { range { days } } }`,
      {
        from: dayOf(365),
        to: dayOf(0),
      },
    );
    expect(longest.data?.analytics.range.days).toBe(366);
  });

  it("needs read_analytics: viewers have it, an API key without it is FORBIDDEN", async () => {
    const viewer = await server.gql(
      `{ analytics { products { totalItems } } }`,
      {},
      await server.as("demo", "VIEWER"),
    );
    expect(viewer.data?.analytics.products.totalItems).toBe(ITEMS.length);
    const key = await apiKeyOf(server.app, "demo", ["read_inventory"]);
    const denied = await server.gql(`{ analytics { range { from } } }`, {}, key.headers);
    expect(denied.errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN",
      requiredScope: "read_analytics",
    });
    const anonymous = await server.gql(`{ analytics { range { from } } }`, {}, { authorization: "" });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
