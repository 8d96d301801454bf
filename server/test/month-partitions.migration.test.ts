import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseBefore } from "./database";

const GENERIC = "20261223000000_generic_month_partitions";
const TABLES = ["sync_history", "sync_job_items", "webhook_events"] as const;

describe("one function for every table's monthly partitions, over a database the per-table functions made", () => {
  let scratch: Awaited<ReturnType<typeof databaseBefore>>;
  let db: pg.Client;
  const before = new Map<string, { name: string; bound: string }[]>();
  let oldFunctions: Record<string, unknown>[] = [];

  /** Each partition of `parent` with its bounds, by name. */
  const partitionsOf = async (parent: string) =>
    (
      await db.query<{ name: string; bound: string }>(
        `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
           FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = $1::regclass ORDER BY 1`,
        [parent],
      )
    ).rows;
  /** Who may run a partition function, and with whose rights and which search path. */
  const attributes = async (names: string[]) =>
    (
      await db.query(
        `SELECT p.prosecdef AS definer, p.proconfig AS config, p.proacl::text[] AS acl,
                pg_get_userbyid(p.proowner) AS owner
           FROM pg_proc p WHERE p.proname = ANY($1) ORDER BY p.proname`,
        [names],
      )
    ).rows;
  const ensure = async (parent: string, from: string, to: string) =>
    (
      await db.query<{ made: number }>("SELECT ensure_month_partitions($1::regclass, $2, $3) AS made", [
        parent,
        from,
        to,
      ])
    ).rows[0]!.made;

  beforeAll(async () => {
    scratch = await databaseBefore(GENERIC);
    db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    for (const table of TABLES) before.set(table, await partitionsOf(table));
    oldFunctions = await attributes(TABLES.map((t) => `${t}_ensure_partitions`));
    await scratch.migrate();
  });
  afterAll(async () => {
    await db?.end();
    await scratch?.drop();
  });

  it("replaces the three per-table functions, keeping their rights, owner and search path", async () => {
    expect(oldFunctions).toHaveLength(3);
    const { rows } = await db.query<{ left: number }>(
      "SELECT count(*)::int AS left FROM pg_proc WHERE proname = ANY($1)",
      [TABLES.map((t) => `${t}_ensure_partitions`)],
    );
    expect(rows[0]!.left).toBe(0);
    const generic = await attributes(["ensure_month_partitions"]);
    expect(generic).toHaveLength(1);
    for (const old of oldFunctions) expect(generic[0]).toEqual(old);
    expect(generic[0]!.definer).toBe(false);
    expect(generic[0]!.config).toEqual(["search_path=public, pg_temp"]);
  });

  it("finds every month the old functions made already there: making them again makes none", async () => {
    const now = new Date();
    const monthStart = (offset: number) =>
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString();
    for (const table of TABLES) {
      expect(before.get(table)!.length).toBeGreaterThanOrEqual(17);
      expect(await ensure(table, monthStart(-13), monthStart(4))).toBe(0);
      expect(await partitionsOf(table)).toEqual(before.get(table));
    }
  });

  it("makes the missing months with the names and bounds the old functions gave", async () => {
    for (const table of TABLES) {
      const oldest = before.get(table)![0]!;
      const [, year, month] = /_(\d{4})_(\d{2})$/.exec(oldest.name)!.map(Number) as [number, number, number];
      // Two months before the oldest, up to (not into) the oldest: two new partitions.
      const from = new Date(Date.UTC(year, month - 3, 15)).toISOString();
      const to = new Date(Date.UTC(year, month - 1, 1)).toISOString();
      expect(await ensure(table, from, to)).toBe(2);
      expect(await ensure(table, from, to)).toBe(0);
      const after = await partitionsOf(table);
      const made = after.filter((p) => !before.get(table)!.some((b) => b.name === p.name));
      const at = (m: number) => new Date(Date.UTC(year, m, 1));
      const nameOf = (d: Date) =>
        `${table}_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
      expect(made.map((p) => p.name)).toEqual([nameOf(at(month - 3)), nameOf(at(month - 2))]);
      // Bounds written as the old ones were: the first instants of the months in UTC.
      const boundOf = async (start: Date, end: Date) =>
        (
          await db.query<{ bound: string }>(
            `SELECT format('FOR VALUES FROM (%L) TO (%L)', $1::timestamptz, $2::timestamptz) AS bound`,
            [start, end],
          )
        ).rows[0]!.bound;
      expect(made[0]!.bound).toBe(await boundOf(at(month - 3), at(month - 2)));
      expect(made[1]!.bound).toBe(await boundOf(at(month - 2), at(month - 1)));
      expect(oldest.bound).toBe(await boundOf(at(month - 1), at(month)));
    }
  });

  it("refuses a table that is not partitioned, and a caller that does not own the table", async () => {
    await expect(ensure("tenants", "2026-01-01", "2026-03-01")).rejects.toMatchObject({ code: "42809" });
    await db.query("BEGIN");
    try {
      await db.query("SET LOCAL ROLE inventory_app");
      await expect(ensure("sync_history", "2001-01-01", "2001-02-01")).rejects.toMatchObject({
        code: "42501",
      });
    } finally {
      await db.query("ROLLBACK");
    }
    expect((await partitionsOf("sync_history")).some((p) => p.name === "sync_history_2001_01")).toBe(false);
  });
});
