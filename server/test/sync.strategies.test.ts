import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JobRow, type SyncHarness, startJob, startSyncHarness, waitForJob } from "./sync-harness";

/**
 * A full sync of 5,000 SKUs across Amazon and Medusa against the sandbox. The expectation is computed here, from
 * what the database recorded at the last sync (the demo seed, with the generator's deliberate differences) and
 * what the sandbox holds now (the seed plus its deterministic drift), with the rules written out for two platforms:
 * a value changed on one side only propagates to the other; anything else that disagrees is a conflict, resolved by
 * the strategy unless Amazon manages the value itself (FBA quantity, a suppressed or incomplete listing), which
 * wins under every strategy, MANUAL too.
 */
const SKUS = 5000;
type Field = "quantity" | "price" | "status";
type Value = string | number;
type Strategy = "SOURCE_WINS" | "HIGHEST_WINS" | "LOWEST_WINS" | "MANUAL";

interface Side {
  quantity: number;
  price: string;
  status: string;
}

interface Expected {
  conflicts: Map<string, { values: Record<string, Value>; resolved: Value | null }>;
  writes: Map<string, Value>;
}

const cents = (price: string) => Math.round(Number(price) * 100);
const same = (field: Field, a: Value, b: Value) =>
  field === "price"
    ? cents(String(a)) === cents(String(b))
    : field === "status"
      ? (a === "ACTIVE") === (b === "ACTIVE")
      : Number(a) === Number(b);

let h: SyncHarness;
let base: Map<string, { AMAZON?: Side; MEDUSA?: Side }>;
let ignored: Map<string, Record<string, Value>>;

/** What Amazon and Medusa hold now, read straight from the sandbox's state. */
function platformsNow(): Map<string, { amazon: Side & { fba: boolean }; medusa: Side }> {
  const now = new Map<string, { amazon: Side & { fba: boolean }; medusa: Side }>();
  for (const [sku, a] of h.sandbox.state.amazon) {
    const m = h.sandbox.state.medusa.get(sku);
    if (!m || a.deleted || m.deleted) continue;
    const level = m.levels[0]!;
    now.set(sku, {
      amazon: { quantity: a.quantity, price: a.price, status: a.status, fba: a.channel === "FBA" },
      medusa: {
        quantity: level.stocked - level.reserved,
        price: m.prices.find((p) => p.currency === "usd")!.amount,
        status: m.productStatus === "published" ? "ACTIVE" : "INACTIVE",
      },
    });
  }
  return now;
}

function expectFor(strategy: Strategy): Expected {
  const conflicts: Expected["conflicts"] = new Map();
  const writes: Expected["writes"] = new Map();
  const target = (field: Field, v: Value) =>
    field === "status" ? (v === "ACTIVE" ? "ACTIVE" : "INACTIVE") : v;
  for (const [sku, now] of platformsNow()) {
    const before = base.get(sku)!;
    for (const field of ["quantity", "price", "status"] as Field[]) {
      const a = now.amazon[field];
      const m = now.medusa[field];
      if (same(field, a, m)) continue;
      const ig = ignored.get(`${sku}|${field}`);
      if (ig && same(field, ig.AMAZON!, a) && same(field, ig.MEDUSA!, m)) continue;
      const amazonFixed =
        (field === "quantity" && now.amazon.fba) ||
        (field === "status" && ["SUPPRESSED", "INCOMPLETE"].includes(String(a)));
      const aChanged = !same(field, a, before.AMAZON![field]);
      const mChanged = !same(field, m, before.MEDUSA![field]);
      if (aChanged && !mChanged) {
        writes.set(`${sku}|MEDUSA|${field}`, target(field, a));
        continue;
      }
      if (mChanged && !aChanged && !amazonFixed) {
        writes.set(`${sku}|AMAZON|${field}`, target(field, m));
        continue;
      }
      let winner: "AMAZON" | "MEDUSA" | null;
      if (amazonFixed) winner = "AMAZON";
      else if (strategy === "MANUAL") winner = null;
      else if (strategy === "SOURCE_WINS" || field === "status") winner = "AMAZON";
      else {
        const higher = field === "price" ? cents(String(m)) > cents(String(a)) : Number(m) > Number(a);
        // Ties cannot happen here (the values differ); the higher one wins HIGHEST_WINS.
        winner = strategy === "HIGHEST_WINS" ? (higher ? "MEDUSA" : "AMAZON") : higher ? "AMAZON" : "MEDUSA";
      }
      const resolved = winner === null ? null : winner === "AMAZON" ? a : m;
      conflicts.set(`${sku}|${field}`, { values: { AMAZON: a, MEDUSA: m }, resolved });
      if (winner === "AMAZON") writes.set(`${sku}|MEDUSA|${field}`, target(field, a));
      if (winner === "MEDUSA") writes.set(`${sku}|AMAZON|${field}`, target(field, m));
    }
  }
  return { conflicts, writes };
}

async function setStrategy(strategy: Strategy) {
  await h.server.app.ownerPool.query(
    'UPDATE platform_sync_settings SET conflict_strategy = $2::"ConflictStrategy" WHERE tenant_id = $1',
    [h.tenantId, strategy],
  );
}

async function itemsOf(job: JobRow) {
  const { rows } = await h.server.app.ownerPool.query<{
    sku: string;
    platform: string;
    field: Field;
    to_value: Value;
    status: string;
    error: string | null;
  }>(
    "SELECT sku, platform::text, field, to_value, status::text, error FROM sync_job_items WHERE job_id = $1",
    [job.id],
  );
  return rows;
}

const writeCount = () => Object.values(h.sandbox.control.writeCounts()).reduce((s, n) => s + n, 0);

beforeAll(async () => {
  h = await startSyncHarness({ skus: SKUS });
  const listings = await h.server.app.ownerPool.query<{
    sku: string;
    platform: "AMAZON" | "MEDUSA";
    quantity: number;
    price: string;
    status: string;
  }>(
    `SELECT p.sku, l.platform::text, l.quantity, l.price::text, l.status::text
       FROM product_listings l JOIN products p ON p.id = l.product_id WHERE l.tenant_id = $1`,
    [h.tenantId],
  );
  base = new Map();
  for (const l of listings.rows) {
    const entry = base.get(l.sku) ?? {};
    entry[l.platform] = { quantity: l.quantity, price: l.price, status: l.status };
    base.set(l.sku, entry);
  }
  const ignoredRows = await h.server.app.ownerPool.query<{
    sku: string;
    field: string;
    values: Record<string, Value>;
  }>("SELECT sku, field, values FROM sync_conflicts WHERE tenant_id = $1 AND status = 'IGNORED'", [
    h.tenantId,
  ]);
  ignored = new Map(ignoredRows.rows.map((r) => [`${r.sku}|${r.field}`, r.values]));
}, 180_000);

afterAll(async () => h?.close());

describe("a full sync of 5,000 SKUs", () => {
  for (const strategy of ["MANUAL", "HIGHEST_WINS", "LOWEST_WINS"] as const) {
    it(`reports, as a dry run under ${strategy}, exactly the conflicts and writes the data calls for, writing nothing`, async () => {
      await setStrategy(strategy);
      const expected = expectFor(strategy);
      const writesBefore = writeCount();
      const conflictsBefore = await h.server.app.ownerPool.query(
        "SELECT count(*)::int AS n FROM sync_conflicts",
      );
      const { id } = await startJob(h.server, { type: "FULL", dryRun: true });
      const job = await waitForJob(h.server, id);
      expect(job.status).toBe("SUCCEEDED");
      expect(job.conflict_count).toBe(expected.conflicts.size);
      const items = await itemsOf(job);
      expect(items.every((i) => i.status === "SKIPPED")).toBe(true);
      expect(new Map(items.map((i) => [`${i.sku}|${i.platform}|${i.field}`, i.to_value]))).toEqual(
        expected.writes,
      );
      expect(job.updated_items).toBe(expected.writes.size);
      expect(writeCount()).toBe(writesBefore);
      const conflictsAfter = await h.server.app.ownerPool.query(
        "SELECT count(*)::int AS n FROM sync_conflicts",
      );
      expect(conflictsAfter.rows[0].n).toBe(conflictsBefore.rows[0].n);
      if (strategy === "MANUAL") expect(expected.writes.size).toBeGreaterThan(0);
      expect(expected.conflicts.size).toBeGreaterThan(50);
    }, 120_000);
  }

  it("records and resolves every conflict under SOURCE_WINS and leaves every platform in the expected state, each write applied once", async () => {
    await setStrategy("SOURCE_WINS");
    const expected = expectFor("SOURCE_WINS");
    h.sandbox.state.writes.clear();
    const { id } = await startJob(h.server, { type: "FULL" });
    const job = await waitForJob(h.server, id);
    expect(job.status).toBe("SUCCEEDED");
    expect(job.failed_items).toBe(0);
    expect(job.total_items).toBeGreaterThan(SKUS * 0.8);
    expect(job.processed_items).toBe(job.total_items);

    const conflicts = await h.server.app.ownerPool.query<{
      sku: string;
      field: string;
      values: Record<string, Value>;
      status: string;
      resolved_value: Value | null;
    }>("SELECT sku, field, values, status::text, resolved_value FROM sync_conflicts WHERE job_id = $1", [
      job.id,
    ]);
    expect(job.conflict_count).toBe(expected.conflicts.size);
    expect(
      new Map(
        conflicts.rows.map((c) => [`${c.sku}|${c.field}`, { values: c.values, resolved: c.resolved_value }]),
      ),
    ).toEqual(expected.conflicts);
    expect(conflicts.rows.every((c) => c.status === "RESOLVED")).toBe(true);

    const items = await itemsOf(job);
    expect(items.filter((i) => i.status !== "APPLIED")).toEqual([]);
    expect(new Map(items.map((i) => [`${i.sku}|${i.platform}|${i.field}`, i.to_value]))).toEqual(
      expected.writes,
    );
    expect(job.updated_items).toBe(expected.writes.size);

    // Every platform now holds what was written, and each write was applied exactly once.
    const now = platformsNow();
    const counts = h.sandbox.control.writeCounts();
    for (const [key, to] of expected.writes) {
      const [sku, platform, field] = key.split("|") as [string, "AMAZON" | "MEDUSA", Field];
      const side = platform === "AMAZON" ? now.get(sku)!.amazon : now.get(sku)!.medusa;
      expect(same(field, side[field], to), `${key}: ${side[field]} vs ${to}`).toBe(true);
      expect(counts[`${platform.toLowerCase()}:${sku}:${field}`], key).toBe(1);
    }
    expect(Object.values(counts).reduce((s, n) => s + n, 0)).toBe(expected.writes.size);

    // Alerts: one open alert per cause (the seed's keys are refreshed, not repeated); a sold-out bestseller is critical.
    const duplicates = await h.server.app.ownerPool.query(
      `SELECT dedupe_key FROM alerts WHERE tenant_id = $1 AND status IN ('OPEN', 'ACKNOWLEDGED') AND dedupe_key IS NOT NULL
        GROUP BY dedupe_key HAVING count(*) > 1`,
      [h.tenantId],
    );
    expect(duplicates.rows).toEqual([]);
    const soldOut = await h.server.app.ownerPool.query<{ priority: string; is_bestseller: boolean }>(
      `SELECT a.priority::text, s.is_bestseller FROM alerts a JOIN seller_inventory s ON s.product_id = a.product_id
        WHERE a.tenant_id = $1 AND a.type = 'OUT_OF_STOCK' AND a.dedupe_key LIKE 'OUT_OF_STOCK:AMAZON:%'
          AND a.status IN ('OPEN', 'ACKNOWLEDGED') AND a.job_id = $2`,
      [h.tenantId, job.id],
    );
    expect(soldOut.rows.length).toBeGreaterThan(0);
    for (const r of soldOut.rows) expect(r.priority).toBe(r.is_bestseller ? "CRITICAL" : "HIGH");

    const history = await h.server.app.ownerPool.query(
      "SELECT count(*)::int AS n FROM sync_history WHERE job_id = $1",
      [job.id],
    );
    expect(history.rows[0].n).toBe(expected.writes.size);
  }, 180_000);

  it("finds nothing left to do on the next full sync", async () => {
    const { id } = await startJob(h.server, { type: "FULL" });
    const job = await waitForJob(h.server, id);
    expect(job.status).toBe("SUCCEEDED");
    expect([job.conflict_count, job.updated_items, job.failed_items]).toEqual([0, 0, 0]);
  }, 120_000);
});
