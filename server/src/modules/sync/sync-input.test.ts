import { describe, expect, it } from "vitest";
import { MAX_SYNC_SKUS, startSyncErrors } from "./sync-input";

const connections = [
  { kind: "AMAZON", enabled: true },
  { kind: "MEDUSA", enabled: true },
];

describe("startSyncErrors", () => {
  it("accepts a FULL sync of every enabled platform", () => {
    expect(startSyncErrors({ type: "FULL" }, connections)).toEqual([]);
  });

  it("asks a PARTIAL sync for its SKUs", () => {
    expect(startSyncErrors({ type: "PARTIAL", skus: [] }, connections)).toEqual([
      expect.objectContaining({ field: ["input", "skus"], code: "REQUIRED" }),
    ]);
    expect(startSyncErrors({ type: "PARTIAL", skus: ["A-1"] }, connections)).toEqual([]);
  });

  it("refuses more than 10,000 SKUs", () => {
    const skus = Array.from({ length: MAX_SYNC_SKUS + 1 }, (_, i) => `SKU-${i}`);
    expect(startSyncErrors({ type: "PARTIAL", skus }, connections)).toEqual([
      expect.objectContaining({ field: ["input", "skus"], code: "TOO_MANY" }),
    ]);
  });

  it("points at the first malformed SKU", () => {
    expect(startSyncErrors({ type: "PARTIAL", skus: ["OK-1", " leading", "x"] }, connections)).toEqual([
      expect.objectContaining({ field: ["input", "skus", "1"], code: "INVALID" }),
    ]);
  });

  it("refuses SKUs on a FULL sync, which reads everything", () => {
    expect(startSyncErrors({ type: "FULL", skus: ["A"] }, connections)[0]?.code).toBe("INVALID");
  });

  it("reports unknown, disabled and repeated platforms by position", () => {
    const errors = startSyncErrors({ type: "FULL", platforms: ["AMAZON", "SHOPIFY", "MEDUSA", "AMAZON"] }, [
      { kind: "AMAZON", enabled: true },
      { kind: "MEDUSA", enabled: false },
    ]);
    expect(errors.map((e) => [e.field.join("."), e.code])).toEqual([
      ["input.platforms.1", "UNKNOWN_PLATFORM"],
      ["input.platforms.2", "PLATFORM_DISABLED"],
      ["input.platforms", "DUPLICATE"],
    ]);
  });

  it("refuses a sync when no connection is enabled", () => {
    expect(startSyncErrors({ type: "FULL" }, [{ kind: "AMAZON", enabled: false }])[0]?.code).toBe(
      "NO_PLATFORMS",
    );
  });
});
