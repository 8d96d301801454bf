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
  it("reads counters per platform under the names the engine may use", () => {
    const rows = platformProgress(
      {
        MEDUSA: { totalItems: 200, processedItems: 50, failedItems: 2, status: "APPLYING" },
        AMAZON: { total: 100, processed: 100, updated: 7, status: "SUCCEEDED" },
      },
      ["AMAZON", "MEDUSA"],
    );
    expect(rows).toEqual([
      expect.objectContaining({ platform: "AMAZON", processed: 100, updated: 7, fraction: 1 }),
      expect.objectContaining({ platform: "MEDUSA", processed: 50, failed: 2, fraction: 0.25 }),
    ]);
  });

  it("shows a platform that has not reported as waiting, and survives a result that is not an object", () => {
    expect(platformProgress(null, ["AMAZON"])).toEqual([
      expect.objectContaining({ platform: "AMAZON", fraction: null, status: null }),
    ]);
    expect(platformProgress([1, 2], [])).toEqual([]);
    expect(platformProgress({ AMAZON: "done" }, [])).toEqual([]);
  });
});

describe("parseSkus", () => {
  it("splits on lines, commas and spaces, dropping blanks and repeats", () => {
    expect(parseSkus("A-1\nB-2, C-3  A-1\n\n;D-4")).toEqual(["A-1", "B-2", "C-3", "D-4"]);
  });
});
