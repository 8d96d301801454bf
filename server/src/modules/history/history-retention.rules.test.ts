import { describe, expect, it } from "vitest";
import {
  archiveFileName,
  isArchiveFileName,
  retentionCutoff,
  retentionErrors,
} from "./history-retention.rules";

describe("history retention rules", () => {
  it("keeps the current month and the `months` whole months before it", () => {
    expect(retentionCutoff(13, new Date("2026-12-02T13:00:00Z")).toISOString()).toBe(
      "2025-11-01T00:00:00.000Z",
    );
    expect(retentionCutoff(1, new Date("2026-01-31T23:59:59Z")).toISOString()).toBe(
      "2025-12-01T00:00:00.000Z",
    );
  });

  it("accepts 1 to 120 whole months and names the field otherwise", () => {
    expect(retentionErrors(1)).toEqual([]);
    expect(retentionErrors(120)).toEqual([]);
    for (const bad of [0, -3, 121, 2.5, Number.NaN]) {
      expect(retentionErrors(bad)).toEqual([
        expect.objectContaining({ field: ["input", "months"], code: "RETENTION_OUT_OF_RANGE" }),
      ]);
    }
  });

  it("names archive files by tenant and month, and recognises only that shape", () => {
    const tenant = "0b7c9a52-7d0e-4c59-9a53-1f1f0e2f9a10";
    const month = new Date("2025-10-01T00:00:00Z");
    expect(archiveFileName(tenant, month, 1)).toBe(`${tenant}/2025-10.jsonl.gz`);
    expect(archiveFileName(tenant, month, 3)).toBe(`${tenant}/2025-10.3.jsonl.gz`);
    expect(isArchiveFileName(archiveFileName(tenant, month, 2))).toBe(true);
    for (const bad of [
      `../${tenant}/2025-10.jsonl.gz`,
      `${tenant}/../x/2025-10.jsonl.gz`,
      "/etc/passwd",
      "",
    ]) {
      expect(isArchiveFileName(bad)).toBe(false);
    }
  });
});
