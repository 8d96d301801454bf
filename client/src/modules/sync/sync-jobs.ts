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
  /** Listings read from the platform. */
  read: number;
  updated: number;
  failed: number;
  conflicts: number;
  skipped: number;
  status: string | null;
  error: string | null;
  /** From 0 to 1; null when it cannot be told yet. */
  fraction: number | null;
}

export interface JobProgressState {
  status: string;
  isTerminal: boolean;
  progress: number;
  totalItems: number;
}

function count(source: Record<string, unknown>, ...keys: string[]): number | null {
  for (const key of keys) {
    const value = Number(source[key]);
    if (source[key] != null && Number.isFinite(value)) return value;
  }
  return null;
}

function text(source: Record<string, unknown>, ...keys: string[]): string | null {
  for (const key of keys) if (typeof source[key] === "string") return source[key] as string;
  return null;
}

/**
 * Reads `SyncJob.platformResults` (counters and outcome per platform kind) for display. A platform's bar
 * follows its own total when it reports one; otherwise its reading against the job's total while the job
 * fetches, and the job's progress once it compares and applies (writes to all platforms interleave).
 * Platforms taking part without a result yet show as waiting.
 */
export function platformProgress(
  results: unknown,
  platforms: readonly string[],
  job: JobProgressState,
): PlatformProgress[] {
  const entries =
    results && typeof results === "object" && !Array.isArray(results)
      ? Object.entries(results as Record<string, unknown>)
      : [];
  const rows = new Map<string, PlatformProgress>();
  const waiting = (platform: string): PlatformProgress => ({
    platform,
    read: 0,
    updated: 0,
    failed: 0,
    conflicts: 0,
    skipped: 0,
    status: null,
    error: null,
    fraction: job.isTerminal ? 1 : null,
  });
  for (const [platform, raw] of entries) {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) continue;
    const r = raw as Record<string, unknown>;
    const total = count(r, "total", "totalItems");
    const processed = count(r, "processed", "processedItems");
    const read = count(r, "read", "readItems") ?? 0;
    let fraction: number | null;
    if (job.isTerminal) fraction = 1;
    else if (total && processed !== null) fraction = Math.min(1, processed / total);
    else if (job.status === "COMPARING" || job.status === "APPLYING") fraction = job.progress;
    else fraction = job.totalItems > 0 ? Math.min(1, read / job.totalItems) : null;
    rows.set(platform, {
      platform,
      read,
      updated: count(r, "updated", "updatedItems") ?? 0,
      failed: count(r, "failed", "failedItems") ?? 0,
      conflicts: count(r, "conflicts", "conflictCount") ?? 0,
      skipped: count(r, "skipped") ?? 0,
      status: text(r, "status", "state"),
      error: text(r, "error", "message"),
      fraction,
    });
  }
  for (const platform of platforms) if (!rows.has(platform)) rows.set(platform, waiting(platform));
  return [...rows.values()].sort((a, b) => a.platform.localeCompare(b.platform));
}

/** SKUs typed one per line, or separated by commas or spaces; duplicates dropped, order kept. */
export function parseSkus(input: string): string[] {
  return [...new Set(input.split(/[\s,;]+/).filter(Boolean))];
}

export function percent(fraction: number): number {
  return Math.round(Math.max(0, Math.min(1, fraction)) * 100);
}
