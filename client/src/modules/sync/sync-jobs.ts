/** Pure helpers of the sync page: merging live job updates into a list, reading per-platform results. */

export interface Stamped {
  id: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * The jobs list as the query returned it with every live update applied: a known job takes its newest state,
 * a new one joins the list; newest first, at most `limit`.
 */
export function mergeJobs<T extends Stamped>(
  listed: readonly T[],
  updates: readonly T[],
  limit: number,
): T[] {
  const byId = new Map<string, T>();
  for (const job of [...listed, ...updates]) {
    const known = byId.get(job.id);
    if (!known || Date.parse(job.updatedAt) >= Date.parse(known.updatedAt)) byId.set(job.id, job);
  }
  return [...byId.values()]
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? -1 : 1))
    .slice(0, limit);
}

/** The newer of two states of one job (live updates can race the query that loaded the page). */
export function newerJob<T extends { updatedAt: string }>(a: T | null | undefined, b: T | null | undefined) {
  if (!a) return b ?? null;
  if (!b) return a;
  return Date.parse(b.updatedAt) >= Date.parse(a.updatedAt) ? b : a;
}

export interface PlatformProgress {
  platform: string;
  total: number;
  processed: number;
  updated: number;
  failed: number;
  status: string | null;
  error: string | null;
  /** From 0 to 1; null when the platform has not counted its items yet. */
  fraction: number | null;
}

function count(source: Record<string, unknown>, ...keys: string[]): number {
  for (const key of keys) {
    const value = Number(source[key]);
    if (source[key] != null && Number.isFinite(value)) return value;
  }
  return 0;
}

function text(source: Record<string, unknown>, ...keys: string[]): string | null {
  for (const key of keys) if (typeof source[key] === "string") return source[key] as string;
  return null;
}

/**
 * Reads `SyncJob.platformResults` (counters and outcome per platform kind) for display, tolerating the
 * names the engine may use for each counter; platforms the job takes part in but has no result for yet are
 * shown as waiting.
 */
export function platformProgress(results: unknown, platforms: readonly string[] = []): PlatformProgress[] {
  const entries =
    results && typeof results === "object" && !Array.isArray(results)
      ? Object.entries(results as Record<string, unknown>)
      : [];
  const rows = new Map<string, PlatformProgress>();
  for (const [platform, raw] of entries) {
    if (!raw || typeof raw !== "object") continue;
    const r = raw as Record<string, unknown>;
    const total = count(r, "total", "totalItems", "items");
    const processed = count(r, "processed", "processedItems", "done");
    const status = text(r, "status", "state", "outcome");
    const finished = status !== null && /^(SUCCEEDED|DONE|OK|COMPLETED)$/i.test(status);
    rows.set(platform, {
      platform,
      total,
      processed,
      updated: count(r, "updated", "updatedItems", "applied"),
      failed: count(r, "failed", "failedItems", "errors"),
      status,
      error: text(r, "error", "message"),
      fraction: finished ? 1 : total > 0 ? Math.min(1, processed / total) : null,
    });
  }
  for (const platform of platforms) {
    if (!rows.has(platform)) {
      rows.set(platform, {
        platform,
        total: 0,
        processed: 0,
        updated: 0,
        failed: 0,
        status: null,
        error: null,
        fraction: null,
      });
    }
  }
  return [...rows.values()].sort((a, b) => a.platform.localeCompare(b.platform));
}

/** SKUs typed one per line, or separated by commas or spaces; duplicates dropped, order kept. */
export function parseSkus(input: string): string[] {
  return [...new Set(input.split(/[\s,;]+/).filter(Boolean))];
}

export function percent(fraction: number): number {
  return Math.round(Math.max(0, Math.min(1, fraction)) * 100);
}
