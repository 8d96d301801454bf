import type pg from "pg";
import { ensureMonthPartitions, type RoundLock } from "../../platform/db";
import { applyHistoryRetention, type RetentionStep } from "./history.archive";

/** Months of partitions kept ready ahead of today, so an insert never finds its month missing. */
const MONTHS_AHEAD = 3;

/** Creates the monthly partitions from `from` to three months ahead of now; returns how many it made. */
export function ensureHistoryPartitions(owner: pg.Pool, from: Date = new Date()): Promise<number> {
  return ensureMonthPartitions(owner, "sync_history", from, MONTHS_AHEAD);
}

/**
 * Keeps history's partitions (and those of the steps' partitioned tables) in shape while the process runs:
 * months ahead created at start and every few hours, then every tenant's retention applied (history archived and deleted, emptied months dropped, the other
 * tables' old rows deleted). Failures are logged and retried on the next round.
 */
export function startHistoryMaintenance(
  owner: pg.Pool,
  options: {
    archivesDir: string;
    steps?: RetentionStep[];
    /** Who holds each round's lock: the process's session connection. */
    lock?: RoundLock;
    everyMs?: number;
    log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  },
) {
  const round = async () => {
    try {
      await ensureHistoryPartitions(owner);
      for (const step of options.steps ?? []) await step.ensurePartitions?.(owner);
      const report = await applyHistoryRetention(owner, options);
      for (const done of report.archived)
        options.log.info(done, `history of ${done.month.slice(0, 7)} archived to ${done.file}`);
      if (report.dropped.length > 0)
        options.log.info({ dropped: report.dropped }, "emptied history months dropped");
    } catch (error) {
      options.log.warn({ err: error }, "history maintenance failed; it runs again later");
    }
  };
  const first = round();
  const timer = setInterval(() => void round(), options.everyMs ?? 6 * 60 * 60_000);
  timer.unref();
  return {
    /** The first round, for a start that wants to wait for it. */
    ready: first,
    async stop() {
      clearInterval(timer);
      await first;
    },
  };
}
