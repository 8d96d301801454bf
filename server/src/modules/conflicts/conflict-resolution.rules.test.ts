import { describe, expect, it } from "vitest";
import { conflictValues, parseGivenValue, platformsToWrite, sameValue } from "./conflict-resolution.rules";

const at = ["resolution", "value"];

describe("a value given by hand for a conflict", () => {
  it("is read as the conflict type demands", () => {
    expect(parseGivenValue("PRICE", "19.9", at)).toEqual({ value: "19.90" });
    expect(parseGivenValue("QUANTITY", " 12 ", at)).toEqual({ value: 12 });
    expect(parseGivenValue("STATUS", "INACTIVE", at)).toEqual({ value: "INACTIVE" });
    expect(parseGivenValue("DATA", "Blue", at)).toEqual({ value: "Blue" });
  });

  it("is refused with a code when it does not fit the type", () => {
    const code = (r: ReturnType<typeof parseGivenValue>) => ("error" in r ? r.error.code : null);
    expect(code(parseGivenValue("PRICE", "-1", at))).toBe("INVALID_PRICE");
    expect(code(parseGivenValue("PRICE", "1.234", at))).toBe("INVALID_PRICE");
    expect(code(parseGivenValue("PRICE", " 19.99 ", at))).toBe("INVALID_PRICE");
    expect(code(parseGivenValue("PRICE", "019.99", at))).toBe("INVALID_PRICE");
    expect(code(parseGivenValue("QUANTITY", "1.5", at))).toBe("INVALID_QUANTITY");
    expect(code(parseGivenValue("QUANTITY", "-2", at))).toBe("INVALID_QUANTITY");
    expect(code(parseGivenValue("STATUS", "SUPPRESSED", at))).toBe("INVALID_STATUS");
    expect(code(parseGivenValue("DATA", "  ", at))).toBe("INVALID");
  });
});

describe("where a resolution writes", () => {
  it("writes only to the platforms holding another value, comparing prices exactly", () => {
    const kinds = new Set(["AMAZON", "MEDUSA", "SHOPIFY"]);
    expect(
      platformsToWrite("PRICE", { AMAZON: "19.9", MEDUSA: "21.50", LOCAL: "1.00" }, "19.90", kinds),
    ).toEqual([{ platform: "MEDUSA", from: "21.50" }]);
    expect(platformsToWrite("QUANTITY", { AMAZON: 5, MEDUSA: "5" }, 5, kinds)).toEqual([]);
    expect(sameValue("STATUS", "ACTIVE", "INACTIVE")).toBe(false);
  });

  it("reads stored values as strings, numbers or null", () => {
    expect(conflictValues({ AMAZON: "1.00", MEDUSA: 3, X: { a: 1 } })).toEqual({
      AMAZON: "1.00",
      MEDUSA: 3,
      X: null,
    });
  });
});
