import { describe, expect, it } from "vitest";
import { mergeJobs, newerJob, parseSkus, platformProgress } from "./sync-jobs";

const job = (id: string, created: number, updated: number, status = "APPLYING") => ({
  id,
  status,
  createdAt: new Date(created * 1000).toISOString(),
  updatedAt: new Date(updated * 1000).toISOString(),
});

describe("mergeJobs", () => {
  it("applies a newer update to a listed job and ignores an older one", () => {
    const listed = [job("a", 2, 5), job("b", 1, 5)];
    const merged = mergeJobs(listed, [job("a", 2, 6, "SUCCEEDED"), job("b", 1, 4, "PENDING")], 10);
    expect(merged.map((j) => [j.id, j.status])).toEqual([
      ["a", "SUCCEEDED"],
      ["b", "APPLYING"],
    ]);
  });

  it("puts a job it did not list yet first, newest first, and keeps at most the limit", () => {
    const merged = mergeJobs([job("a", 2, 2), job("b", 1, 1)], [job("c", 3, 3)], 2);
    expect(merged.map((j) => j.id)).toEqual(["c", "a"]);
  });
});

describe("newerJob", () => {
  it("prefers the live state unless the loaded one is newer", () => {
    expect(newerJob(job("a", 1, 1, "PENDING"), job("a", 1, 2, "FETCHING"))?.status).toBe("FETCHING");
    expect(newerJob(job("a", 1, 3, "APPLYING"), job("a", 1, 2, "FETCHING"))?.status).toBe("APPLYING");
    expect(newerJob(null, job("a", 1, 2))?.id).toBe("a");
    expect(newerJob(undefined, null)).toBeNull();
  });
});

describe("platformProgress", () => {
  const running = { status: "FETCHING", isTerminal: false, progress: 0, totalItems: 200 };

  it("reads each platform's counters, its bar following its reading while the job fetches", () => {
    const rows = platformProgress(
      {
        MEDUSA: { read: 50, updated: 0, failed: 2, conflicts: 1, skipped: 0, unmatched: 0 },
        AMAZON: { read: 200, updated: 7, failed: 0, conflicts: 0, skipped: 3, status: "READ" },
      },
      ["AMAZON", "MEDUSA"],
      running,
    );
    expect(rows).toEqual([
      expect.objectContaining({ platform: "AMAZON", read: 200, updated: 7, skipped: 3, fraction: 1 }),
      expect.objectContaining({ platform: "MEDUSA", read: 50, failed: 2, conflicts: 1, fraction: 0.25 }),
    ]);
  });

  it("follows the job's progress once it applies, a platform's own total when it has one, and ends full", () => {
    const applying = { status: "APPLYING", isTerminal: false, progress: 0.4, totalItems: 200 };
    const rows = platformProgress(
      { AMAZON: { read: 200 }, MEDUSA: { totalItems: 10, processedItems: 5 } },
      [],
      applying,
    );
    expect(rows.map((r) => r.fraction)).toEqual([0.4, 0.5]);
    const done = platformProgress({ AMAZON: { read: 3 } }, [], { ...applying, isTerminal: true });
    expect(done[0]!.fraction).toBe(1);
  });

  it("shows a platform that has not reported as waiting, and survives results that are not objects", () => {
    expect(platformProgress(null, ["AMAZON"], running)).toEqual([
      expect.objectContaining({ platform: "AMAZON", fraction: null, status: null }),
    ]);
    expect(platformProgress([1, 2], [], running)).toEqual([]);
    expect(platformProgress({ AMAZON: "done", truncated: true }, [], running)).toEqual([]);
  });
});

describe("parseSkus", () => {
  it("splits on lines, commas and spaces, dropping blanks and repeats", () => {
    expect(parseSkus("A-1\nB-2, C-3  A-1\n\n;D-4")).toEqual(["A-1", "B-2", "C-3", "D-4"]);
  });
});
