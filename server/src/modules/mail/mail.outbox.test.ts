import { describe, expect, it } from "vitest";
import { retryDelaySeconds } from "./mail.outbox";

describe("mail retry backoff", () => {
  it("doubles from 15 s and stops at an hour", () => {
    expect([1, 2, 3, 4, 8, 20].map(retryDelaySeconds)).toEqual([15, 30, 60, 120, 1920, 3600]);
  });
});
