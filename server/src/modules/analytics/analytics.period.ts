import { ErrorCode, userInputError } from "../../graphql/errors";
import { AnalyticsPeriod } from "./analytics.types";

/** The longest period one answer covers: a year and a day, so a leap year's last 365 days fit. */
export const MAX_DAYS = 366;
const EARLIEST = "2000-01-01";
const DAY_MS = 86_400_000;
const PRESET_DAYS: Record<AnalyticsPeriod, number> = {
  [AnalyticsPeriod.LAST_7_DAYS]: 7,
  [AnalyticsPeriod.LAST_30_DAYS]: 30,
  [AnalyticsPeriod.LAST_90_DAYS]: 90,
  [AnalyticsPeriod.LAST_365_DAYS]: 365,
};

/** Whole UTC days: `from` and `to` included, as YYYY-MM-DD and as instants (`end` is the midnight after `to`). */
export interface DayRange {
  from: string;
  to: string;
  days: number;
  start: Date;
  end: Date;
}

export const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);
const midnight = (time: number) => Math.floor(time / DAY_MS) * DAY_MS;

function parseDay(value: string, field: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(time) || isoDay(time) !== value) {
    throw userInputError(`\`${field}\` must be a day as YYYY-MM-DD`, ErrorCode.BAD_USER_INPUT, field);
  }
  return time;
}

function rangeOf(from: number, to: number): DayRange {
  return {
    from: isoDay(from),
    to: isoDay(to),
    days: Math.round((to - from) / DAY_MS) + 1,
    start: new Date(from),
    end: new Date(to + DAY_MS),
  };
}

/**
 * The days an analytics request covers: a preset ending today, or `from` to `to` (today when left out), at most
 * 366 days, not before 2000 and not after today. Anything else is BAD_USER_INPUT naming the argument.
 */
export function resolvePeriod(
  input: { period?: AnalyticsPeriod | null; from?: string | null; to?: string | null },
  now: Date = new Date(),
): DayRange {
  const today = midnight(now.getTime());
  const custom = input.from != null || input.to != null;
  if (input.period != null && custom) {
    throw userInputError("Give `period` or `from` and `to`, not both", ErrorCode.BAD_USER_INPUT, "period");
  }
  if (!custom) {
    const days = PRESET_DAYS[input.period ?? AnalyticsPeriod.LAST_30_DAYS];
    return rangeOf(today - (days - 1) * DAY_MS, today);
  }
  if (input.from == null)
    throw userInputError("`from` is required with `to`", ErrorCode.BAD_USER_INPUT, "from");
  const from = parseDay(input.from, "from");
  const to = input.to == null ? today : parseDay(input.to, "to");
  if (from < Date.parse(EARLIEST)) {
    throw userInputError(`\`from\` must be ${EARLIEST} or later`, ErrorCode.BAD_USER_INPUT, "from");
  }
  if (to > today) throw userInputError("`to` must not be after today (UTC)", ErrorCode.BAD_USER_INPUT, "to");
  if (from > to) throw userInputError("`from` must not be after `to`", ErrorCode.BAD_USER_INPUT, "from");
  const range = rangeOf(from, to);
  if (range.days > MAX_DAYS) {
    throw userInputError(`A period covers at most ${MAX_DAYS} days`, ErrorCode.BAD_USER_INPUT, "from");
  }
  return range;
}

/** Every day of the range, in order, as YYYY-MM-DD. */
export function daysOf(range: Pick<DayRange, "start" | "days">): string[] {
  return Array.from({ length: range.days }, (_, i) => isoDay(range.start.getTime() + i * DAY_MS));
}
