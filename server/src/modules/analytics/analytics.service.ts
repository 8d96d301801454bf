import type pg from "pg";
import type {
  AlertPriority,
  AlertType,
  FulfillmentChannel,
  ListingStatus,
  PlatformKind,
  SyncJobType,
} from "../../generated/prisma/enums";
import { Prisma, type TenantDb } from "../../platform/db";
import { COUNTED_STOCK_SQL, type CountedRow, type StockValueRow } from "./analytics.counters";
import { type DayRange, daysOf, isoDay } from "./analytics.period";
import {
  alertDailySql,
  durationPercentilesSql,
  ITEMS_BY_STATUS_SQL,
  OPEN_ALERTS_SQL,
  PLATFORM_VALUE_NOW_SQL,
  PRODUCTS_BY_PLATFORM_SQL,
  platformDailySql,
  rolledUp,
  STOCK_NOW_SQL,
  syncDailySql,
} from "./analytics.sql";
import type {
  AlertAnalytics,
  InventoryValueAnalytics,
  PlatformHealth,
  ProductAnalytics,
  StockDistribution,
  SyncAnalytics,
  SyncPerformance,
} from "./analytics.types";

const DAY_MS = 86_400_000;
const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const orNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/**
 * Where the current stock's parts come from: the trigger-kept counters (a few dozen rows, the default) or the
 * stock itself aggregated live (every item and listing; also what the counters fall back to when marked stale).
 */
export type StockSource = "counters" | "live";

type StatusRow = { status: ListingStatus; count: number };
type PlatformRow = { platform: PlatformKind; status: ListingStatus | null; listings: number; items: number };

/** The part of a request both the range and the tenant's rollup state decide; each part reads what it needs. */
export class AnalyticsReader {
  private cutAt?: Promise<Date>;
  private stockRows?: Promise<ValueRow[]>;
  private countedRows?: Promise<CountedRow[] | null>;

  // One statement at a time: a query's parts share its one pinned connection.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: TenantDb,
    readonly range: DayRange,
    private readonly now: Date = new Date(),
    private readonly source: StockSource = "counters",
  ) {}

  /** The counters folded per key, or null when the stock is to be read live (asked for, or marked stale). */
  private counted(): Promise<CountedRow[] | null> {
    this.countedRows ??=
      this.source === "live"
        ? Promise.resolve(null)
        : this.sql<CountedRow>(COUNTED_STOCK_SQL).then((rows) =>
            rows.some((r) => r.kind === "STALE") ? null : rows,
          );
    return this.countedRows;
  }

  private sql<T extends pg.QueryResultRow>(query: Prisma.Sql): Promise<T[]> {
    const next = this.queue.then(() => this.db.sql<T>(query));
    this.queue = next.catch(() => {});
    return next;
  }

  private get todayStart() {
    return new Date(Math.floor(this.now.getTime() / DAY_MS) * DAY_MS);
  }

  /** The first day the rollups do not hold yet, within [start, end]. */
  private cut(start: Date, end: Date): Promise<Date> {
    this.cutAt ??= this.sql<{ day: string }>(
      Prisma.sql`SELECT rolled_through::text AS day FROM analytics_rollup_state`,
    ).then((rows) => (rows[0] ? new Date(`${rows[0].day}T00:00:00Z`) : new Date(0)));
    return this.cutAt.then(
      (cut) => new Date(Math.min(end.getTime(), Math.max(start.getTime(), cut.getTime()))),
    );
  }

  private stockNow(): Promise<ValueRow[]> {
    this.stockRows ??= this.counted().then((counted) =>
      counted ? counted.filter((r) => r.kind === "STOCK") : this.sql<ValueRow>(STOCK_NOW_SQL),
    );
    return this.stockRows;
  }

  private async platformValues(): Promise<ValueRow[]> {
    const counted = await this.counted();
    return counted
      ? counted.filter((r) => r.kind === "PLATFORM_VALUE")
      : this.sql<ValueRow>(PLATFORM_VALUE_NOW_SQL);
  }

  private async productRows(): Promise<[StatusRow[], PlatformRow[]]> {
    const counted = await this.counted();
    if (!counted)
      return Promise.all([
        this.sql<StatusRow>(ITEMS_BY_STATUS_SQL),
        this.sql<PlatformRow>(PRODUCTS_BY_PLATFORM_SQL),
      ]);
    const statuses = counted
      .filter((r) => r.kind === "STATUS")
      .map((r) => ({ status: r.scope as ListingStatus, count: r.items }));
    const platforms = counted.flatMap((r): PlatformRow[] => {
      const platform = r.scope as PlatformKind;
      if (r.kind === "LISTING")
        return [{ platform, status: r.status as ListingStatus, listings: r.items, items: 0 }];
      if (r.kind === "PLATFORM_ITEMS") return [{ platform, status: null, listings: 0, items: r.items }];
      return [];
    });
    return [statuses, platforms];
  }

  async products(): Promise<ProductAnalytics> {
    const [statuses, platforms] = await this.productRows();
    const byPlatform = new Map<PlatformKind, ProductAnalytics["byPlatform"][number]>();
    for (const row of platforms) {
      const entry = byPlatform.get(row.platform) ?? {
        platform: row.platform,
        items: 0,
        listings: 0,
        byStatus: [],
      };
      if (row.status === null) entry.items = row.items;
      else {
        entry.listings += row.listings;
        entry.byStatus.push({ status: row.status, count: row.listings });
      }
      byPlatform.set(row.platform, entry);
    }
    return {
      totalItems: statuses.reduce((sum, r) => sum + r.count, 0),
      byStatus: statuses.sort((a, b) => a.status.localeCompare(b.status)),
      byPlatform: [...byPlatform.values()]
        .sort((a, b) => a.platform.localeCompare(b.platform))
        .map((p) => ({ ...p, byStatus: p.byStatus.sort((a, b) => a.status.localeCompare(b.status)) })),
    };
  }

  async inventoryValue(): Promise<InventoryValueAnalytics> {
    const { range } = this;
    const total = (await this.stockNow()).find((r) => r.scope === "TOTAL") ?? EMPTY_VALUE;
    const platforms = await this.platformValues();
    const todayDay = isoDay(this.todayStart.getTime());
    const stored = await this.sql<{
      day: string;
      units: string;
      value_at_price: string;
      value_at_cost: string;
    }>(
      Prisma.sql`SELECT day::text AS day, units, value_at_price::text, value_at_cost::text FROM analytics_value_daily
                  WHERE scope = 'TOTAL' AND day >= ${range.from}::date AND day <= ${range.to}::date
                    AND day < ${todayDay}::date ORDER BY day`,
    );
    const daily = stored.map((r) => ({
      day: r.day,
      units: num(r.units),
      valueAtPrice: r.value_at_price,
      valueAtCost: r.value_at_cost,
    }));
    if (range.to >= todayDay) daily.push({ day: todayDay, ...valueFields(total) });
    return {
      total: {
        ...valueFields(total),
        items: total.items,
        itemsWithoutPrice: num(total.items_without_price),
        itemsWithoutCost: num(total.items_without_cost),
      },
      byPlatform: platforms
        .map((r) => ({ platform: r.scope as PlatformKind, listings: r.items, ...valueFields(r) }))
        .sort((a, b) => a.platform.localeCompare(b.platform)),
      daily,
    };
  }

  async stockDistribution(): Promise<StockDistribution[]> {
    const rows = await this.stockNow();
    return (["FBA", "FBM"] as FulfillmentChannel[]).map((channel) => {
      const row = rows.find((r) => r.scope === channel) ?? EMPTY_VALUE;
      return { channel, items: row.items, availableUnits: num(row.available_units), ...valueFields(row) };
    });
  }

  async alerts(): Promise<AlertAnalytics> {
    const { range } = this;
    // Open at a day's end is open now minus what was raised and plus what was resolved after it, up to today.
    const through = { start: range.start, end: new Date(this.todayStart.getTime() + DAY_MS) };
    const cut = await this.cut(through.start, through.end);
    const [open, daily] = await Promise.all([
      this.sql<{ type: AlertType; priority: AlertPriority; count: number }>(OPEN_ALERTS_SQL),
      this.sql<{
        day: string;
        type: AlertType;
        priority: AlertPriority;
        raised: number;
        resolved: number;
      }>(
        Prisma.sql`SELECT day::text AS day, type::text AS type, priority::text AS priority, raised, resolved
                     FROM (${rolledUp("analytics_alert_daily", "day, type, priority, raised, resolved", through, cut, alertDailySql)}) d`,
      ),
    ]);
    const openNow = open.reduce((sum, r) => sum + r.count, 0);
    const perDay = new Map<string, { raised: number; resolved: number }>();
    const raisedByType = new Map<AlertType, number>();
    const raisedByPriority = new Map<AlertPriority, number>();
    for (const row of daily) {
      const day = perDay.get(row.day) ?? { raised: 0, resolved: 0 };
      day.raised += row.raised;
      day.resolved += row.resolved;
      perDay.set(row.day, day);
      if (row.day > range.to || row.raised === 0) continue;
      raisedByType.set(row.type, (raisedByType.get(row.type) ?? 0) + row.raised);
      raisedByPriority.set(row.priority, (raisedByPriority.get(row.priority) ?? 0) + row.raised);
    }
    let after = 0;
    for (const [day, counts] of perDay) if (day > range.to) after += counts.raised - counts.resolved;
    const days = daysOf(range);
    const points = [];
    let openAtEnd = openNow - after;
    for (let i = days.length - 1; i >= 0; i--) {
      const day = days[i]!;
      const counts = perDay.get(day) ?? { raised: 0, resolved: 0 };
      points.push({ day, raised: counts.raised, resolved: counts.resolved, open: Math.max(0, openAtEnd) });
      openAtEnd -= counts.raised - counts.resolved;
    }
    return {
      open: openNow,
      openByType: sumBy(open, (r) => r.type).map(([type, count]) => ({ type, count })),
      openByPriority: sumBy(open, (r) => r.priority).map(([priority, count]) => ({ priority, count })),
      raised: [...raisedByType.values()].reduce((a, b) => a + b, 0),
      raisedByType: byKey(raisedByType).map(([type, count]) => ({ type, count })),
      raisedByPriority: byKey(raisedByPriority).map(([priority, count]) => ({ priority, count })),
      daily: points.reverse(),
    };
  }

  async sync(): Promise<SyncAnalytics> {
    const { range } = this;
    const cut = await this.cut(range.start, range.end);
    const [jobs, platforms, percentiles] = await Promise.all([
      this.sql<SyncDailyRow>(
        Prisma.sql`SELECT day::text AS day, job_type::text AS job_type, jobs, succeeded, failed, duration_ms_sum,
                          duration_p50_ms, processed_items, conflicts
                     FROM (${rolledUp("analytics_sync_daily", SYNC_READ, range, cut, syncDailySql)}) d`,
      ),
      this.platformRows(cut),
      this.sql<{
        job_type: SyncJobType;
        platform: PlatformKind | null;
        p50: number | null;
        p95: number | null;
      }>(
        Prisma.sql`${durationPercentilesSql(rolledUp("analytics_sync_daily", "job_type, durations_ms", range, cut, syncDailySql), false)}
                   UNION ALL
                   ${durationPercentilesSql(rolledUp("analytics_platform_daily", "job_type, platform, durations_ms", range, cut, platformDailySql), true)}`,
      ),
    ]);
    const pct = new Map(percentiles.map((p) => [`${p.job_type}:${p.platform ?? ""}`, p]));
    const byType = new Map<SyncJobType, Totals>();
    const perDay = new Map<string, SyncAnalytics["daily"][number]>();
    for (const row of jobs) {
      add(byType, row.job_type, row, num(row.processed_items));
      const day = perDay.get(row.day) ?? {
        day: row.day,
        jobs: 0,
        succeeded: 0,
        failed: 0,
        items: 0,
        conflicts: 0,
        medianDurationMs: null,
      };
      day.jobs += row.jobs;
      day.succeeded += row.succeeded;
      day.failed += row.failed;
      day.items += num(row.processed_items);
      day.conflicts += num(row.conflicts);
      const p50 = orNull(row.duration_p50_ms);
      if (p50 !== null) day.medianDurationMs = Math.max(day.medianDurationMs ?? 0, p50);
      perDay.set(row.day, day);
    }
    const byTypeAndPlatform = new Map<string, Totals & { platform: PlatformKind; jobType: SyncJobType }>();
    for (const row of platforms) {
      const key = `${row.job_type}:${row.platform}`;
      const totals = byTypeAndPlatform.get(key) ?? {
        ...zero(),
        platform: row.platform,
        jobType: row.job_type,
      };
      accumulate(totals, { ...row, failed: row.failed_jobs }, num(row.read));
      byTypeAndPlatform.set(key, totals);
    }
    const performance = (jobType: SyncJobType, platform: PlatformKind | null, t: Totals): SyncPerformance => {
      const p = pct.get(`${jobType}:${platform ?? ""}`);
      return {
        jobType,
        platform,
        jobs: t.jobs,
        succeeded: t.succeeded,
        failed: t.failed,
        successRate: ratio(t.succeeded, t.jobs),
        medianDurationMs: orNull(p?.p50),
        p95DurationMs: orNull(p?.p95),
        itemsPerSecond: ratio(t.items, t.durationMs / 1000),
        items: t.items,
        conflicts: t.conflicts,
        conflictsPerJob: ratio(t.conflicts, t.jobs),
        conflictRate: ratio(t.conflicts, t.items),
      };
    };
    return {
      byType: byKey(byType).map(([type, t]) => performance(type, null, t)),
      byTypeAndPlatform: [...byTypeAndPlatform.values()]
        .sort((a, b) => a.jobType.localeCompare(b.jobType) || a.platform.localeCompare(b.platform))
        .map((t) => performance(t.jobType, t.platform, t)),
      daily: daysOf(range).map(
        (day) =>
          perDay.get(day) ?? {
            day,
            jobs: 0,
            succeeded: 0,
            failed: 0,
            items: 0,
            conflicts: 0,
            medianDurationMs: null,
          },
      ),
    };
  }

  async platforms(): Promise<PlatformHealth[]> {
    const rows = await this.platformRows(await this.cut(this.range.start, this.range.end));
    const byPlatform = new Map<
      PlatformKind,
      { jobs: number; failedJobs: number; read: number; updated: number; failed: number; conflicts: number }
    >();
    for (const row of rows) {
      const t = byPlatform.get(row.platform) ?? {
        jobs: 0,
        failedJobs: 0,
        read: 0,
        updated: 0,
        failed: 0,
        conflicts: 0,
      };
      t.jobs += row.jobs;
      t.failedJobs += row.failed_jobs;
      t.read += num(row.read);
      t.updated += num(row.updated);
      t.failed += num(row.failed);
      t.conflicts += num(row.conflicts);
      byPlatform.set(row.platform, t);
    }
    return [...byPlatform]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([platform, t]) => ({
        platform,
        jobs: t.jobs,
        failedJobs: t.failedJobs,
        writes: t.updated + t.failed,
        failedWrites: t.failed,
        errorRate: ratio(t.failed, t.updated + t.failed),
        jobErrorRate: ratio(t.failedJobs, t.jobs),
        conflicts: t.conflicts,
        conflictRate: ratio(t.conflicts, t.read),
      }));
  }

  private platformRowsAt?: Promise<PlatformDailyRow[]>;
  private platformRows(cut: Date): Promise<PlatformDailyRow[]> {
    this.platformRowsAt ??= this.sql<PlatformDailyRow>(
      Prisma.sql`SELECT job_type::text AS job_type, platform::text AS platform, jobs, succeeded, failed_jobs,
                        duration_ms_sum, read, updated, failed, conflicts
                   FROM (${rolledUp("analytics_platform_daily", PLATFORM_READ, this.range, cut, platformDailySql)}) d`,
    );
    return this.platformRowsAt;
  }
}

const SYNC_READ =
  "day, job_type, jobs, succeeded, failed, duration_ms_sum, duration_p50_ms, processed_items, conflicts";
const PLATFORM_READ =
  "day, job_type, platform, jobs, succeeded, failed_jobs, duration_ms_sum, read, updated, failed, conflicts";

type ValueRow = StockValueRow;
const EMPTY_VALUE: ValueRow = {
  scope: "",
  items: 0,
  units: 0,
  available_units: 0,
  value_at_price: "0.00",
  value_at_cost: "0.00",
  items_without_price: 0,
  items_without_cost: 0,
};
const valueFields = (r: ValueRow) => ({
  units: num(r.units),
  valueAtPrice: r.value_at_price,
  valueAtCost: r.value_at_cost,
});

interface SyncDailyRow {
  day: string;
  job_type: SyncJobType;
  jobs: number;
  succeeded: number;
  failed: number;
  duration_ms_sum: string;
  duration_p50_ms: number | null;
  processed_items: string;
  conflicts: string;
}
interface PlatformDailyRow {
  job_type: SyncJobType;
  platform: PlatformKind;
  jobs: number;
  succeeded: number;
  failed_jobs: number;
  duration_ms_sum: string;
  read: string;
  updated: string;
  failed: string;
  conflicts: string;
}
interface Totals {
  jobs: number;
  succeeded: number;
  failed: number;
  durationMs: number;
  items: number;
  conflicts: number;
}
const zero = (): Totals => ({ jobs: 0, succeeded: 0, failed: 0, durationMs: 0, items: 0, conflicts: 0 });
type Counted = {
  jobs: number;
  succeeded: number;
  failed: number;
  duration_ms_sum: string;
  conflicts: string;
};
function accumulate(t: Totals, row: Counted, items: number) {
  t.jobs += row.jobs;
  t.succeeded += row.succeeded;
  t.failed += row.failed;
  t.durationMs += num(row.duration_ms_sum);
  t.items += items;
  t.conflicts += num(row.conflicts);
}
function add<K>(map: Map<K, Totals>, key: K, row: Counted, items: number) {
  const totals = map.get(key) ?? zero();
  accumulate(totals, row, items);
  map.set(key, totals);
}
function sumBy<T, K extends string>(rows: T[], key: (row: T) => K): [K, number][] {
  const sums = new Map<K, number>();
  for (const row of rows) sums.set(key(row), (sums.get(key(row)) ?? 0) + (row as { count: number }).count);
  return [...sums].sort(([a], [b]) => a.localeCompare(b));
}

const byKey = <K extends string, V>(map: Map<K, V>) => [...map].sort(([a], [b]) => a.localeCompare(b));
