import { describe, expect, it } from "vitest";
import { scheduleOffsetSeconds } from "./sync.service";

describe("scheduleOffsetSeconds", () => {
  it("spreads tenants whose ids share all but the last digits across the interval", () => {
    const prefix = "743b38c5-516b-433d-b8d7-";
    const offsets = Array.from({ length: 1000 }, (_, i) =>
      scheduleOffsetSeconds(prefix + i.toString(16).padStart(12, "0"), 5),
    );
    for (const offset of offsets) {
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(300);
    }
    // 1,000 tenants over 300 seconds: every minute of the interval gets a fair share.
    const perMinute = [0, 0, 0, 0, 0];
    for (const offset of offsets) perMinute[Math.floor(offset / 60)]! += 1;
    for (const n of perMinute) expect(n).toBeGreaterThan(150);
  });

  it("gives a tenant the same offset every time", () => {
    const id = "0f0e0d0c-0b0a-4908-8706-050403020100";
    expect(scheduleOffsetSeconds(id, 30)).toBe(scheduleOffsetSeconds(id, 30));
  });
});
