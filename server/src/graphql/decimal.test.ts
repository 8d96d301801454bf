import { describe, expect, it } from "vitest";
import { isCanonicalDecimal } from "./decimal";

describe("a canonical decimal", () => {
  it("is digits without leading zeros and at most two places", () => {
    for (const ok of ["0", "0.5", "19.99", "-3", "-0.01", "1234567890.00"])
      expect(isCanonicalDecimal(ok)).toBe(true);
  });

  it("has nothing around it, no leading zeros, no negative zero, no exponent", () => {
    for (const bad of [
      " 1.00",
      "1.00 ",
      "\t1",
      "007",
      "00.5",
      "-0",
      "-0.00",
      "1.",
      ".5",
      "1e3",
      "1.234",
      "+1",
      "12345678901",
    ]) {
      expect(isCanonicalDecimal(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it("limits the digits before the point", () => {
    expect(isCanonicalDecimal("123456789", 9)).toBe(true);
    expect(isCanonicalDecimal("1234567890", 9)).toBe(false);
  });
});
