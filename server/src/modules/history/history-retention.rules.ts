import type { UserError } from "../../graphql/errors";

/** Retention bounds in whole months; the database checks the same range. */
export const MIN_RETENTION_MONTHS = 1;
export const MAX_RETENTION_MONTHS = 120;
export const DEFAULT_RETENTION_MONTHS = 13;

export const RetentionErrorCode = {
  RETENTION_OUT_OF_RANGE: "RETENTION_OUT_OF_RANGE",
} as const;

/**
 * The first instant a tenant keeps: the start (UTC) of the month `months` before `now`'s month. With 13 months
 * in December 2026 that is 2025-11-01, so the current month and the 13 before it stay.
 */
export function retentionCutoff(months: number, now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
}

export function retentionErrors(months: number): UserError[] {
  if (Number.isInteger(months) && months >= MIN_RETENTION_MONTHS && months <= MAX_RETENTION_MONTHS) return [];
  return [
    {
      field: ["input", "months"],
      code: RetentionErrorCode.RETENTION_OUT_OF_RANGE,
      message: `Keep history for ${MIN_RETENTION_MONTHS} to ${MAX_RETENTION_MONTHS} whole months`,
    },
  ];
}

const ARCHIVE_FILE =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/\d{4}-\d{2}(\.\d+)?\.jsonl\.gz$/;

/** An archive's file relative to the archives folder: `<tenant id>/<YYYY-MM>.jsonl.gz`, later parts `.2`, `.3`. */
export function archiveFileName(tenantId: string, month: Date, part: number): string {
  const name = month.toISOString().slice(0, 7);
  return `${tenantId}/${part === 1 ? name : `${name}.${part}`}.jsonl.gz`;
}

/** Whether a recorded file name has the shape archiveFileName makes (no other folder, no `..`). */
export function isArchiveFileName(file: string): boolean {
  return ARCHIVE_FILE.test(file);
}
