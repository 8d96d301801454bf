import type { UserError } from "../../graphql/errors";

/** The shortest schedule: marketplaces' rate budgets do not allow full reads more often. */
export const MIN_SYNC_INTERVAL_MINUTES = 5;
export const MAX_SYNC_INTERVAL_MINUTES = 10_080;

export interface SettingsValues {
  autoSync: boolean;
  syncIntervalMinutes: number;
  conflictStrategy: string;
  lowStockThreshold: number;
  outOfStockThreshold: number;
  /** Decimal string. */
  maxPriceVariancePct: string;
}

export type SettingsChange = Partial<{ [K in keyof SettingsValues]: SettingsValues[K] | null }>;

/** The settings after the change: fields left out (or null) keep their current value. */
export function mergeSettings(current: SettingsValues, change: SettingsChange): SettingsValues {
  const next = { ...current };
  for (const [key, value] of Object.entries(change) as [keyof SettingsValues, unknown][]) {
    if (value != null) (next as Record<string, unknown>)[key] = value;
  }
  return next;
}

/** Checks the merged settings; thresholds are checked together, so low >= out holds after any change. */
export function settingsErrors(next: SettingsValues, change: SettingsChange): UserError[] {
  const errors: UserError[] = [];
  const fail = (field: keyof SettingsValues, code: string, message: string) =>
    errors.push({ field: ["input", field], code, message });
  const { syncIntervalMinutes: interval, lowStockThreshold: low, outOfStockThreshold: out } = next;
  if (interval < MIN_SYNC_INTERVAL_MINUTES || interval > MAX_SYNC_INTERVAL_MINUTES) {
    fail(
      "syncIntervalMinutes",
      "OUT_OF_RANGE",
      `syncIntervalMinutes must be between ${MIN_SYNC_INTERVAL_MINUTES} and ${MAX_SYNC_INTERVAL_MINUTES}`,
    );
  }
  if (low < 0) fail("lowStockThreshold", "OUT_OF_RANGE", "lowStockThreshold must not be negative");
  if (out < 0) fail("outOfStockThreshold", "OUT_OF_RANGE", "outOfStockThreshold must not be negative");
  if (low >= 0 && out >= 0 && low < out) {
    const field = change.outOfStockThreshold != null ? "outOfStockThreshold" : "lowStockThreshold";
    fail(
      field,
      "THRESHOLD_ORDER",
      `lowStockThreshold (${low}) must be at least outOfStockThreshold (${out})`,
    );
  }
  const variance = Number(next.maxPriceVariancePct);
  if (!(variance >= 0 && variance <= 100)) {
    fail("maxPriceVariancePct", "OUT_OF_RANGE", "maxPriceVariancePct must be between 0 and 100");
  }
  return errors;
}
