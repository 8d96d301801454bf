import { describe, expect, it } from "vitest";
import { decideProduct, normalizePrice, type Observation } from "./sync.compare";

function obs(
  platform: string,
  now: Partial<Observation>,
  base?: Partial<NonNullable<Observation["base"]>> | null,
) {
  const o: Observation = {
    platform,
    sku: "SKU-1",
    priority: platform === "AMAZON" ? 1 : 2,
    quantity: 10,
    price: "19.99",
    status: "ACTIVE",
    fixed: [],
    base: base === null ? null : { quantity: 10, price: "19.99", status: "ACTIVE", ...base },
    ...now,
  };
  return o;
}

describe("decideProduct", () => {
  it("does nothing when every platform agrees", () => {
    const { decisions, agreed } = decideProduct(
      [obs("AMAZON", {}), obs("MEDUSA", { price: "19.990" })],
      "SOURCE_WINS",
    );
    expect(decisions).toEqual([]);
    expect(agreed).toEqual(["quantity", "price", "status"]);
  });

  it("propagates a sale on one channel to the others without recording a conflict, whatever the strategy", () => {
    for (const strategy of ["SOURCE_WINS", "HIGHEST_WINS", "MANUAL"] as const) {
      const { decisions } = decideProduct([obs("AMAZON", {}), obs("MEDUSA", { quantity: 9 })], strategy);
      expect(decisions).toEqual([
        expect.objectContaining({
          field: "quantity",
          kind: "PROPAGATE",
          writes: [{ platform: "AMAZON", sku: "SKU-1", field: "quantity", from: 10, to: 9 }],
        }),
      ]);
    }
  });

  it("records a standing disagreement as a conflict and resolves it by platform priority under SOURCE_WINS", () => {
    const { decisions } = decideProduct(
      [obs("AMAZON", { price: "19.99" }), obs("MEDUSA", { price: "21.50" }, { price: "21.50" })],
      "SOURCE_WINS",
    );
    expect(decisions).toEqual([
      expect.objectContaining({
        field: "price",
        type: "PRICE",
        kind: "CONFLICT",
        values: { AMAZON: "19.99", MEDUSA: "21.50" },
        resolution: expect.objectContaining({ value: "19.99", winner: "AMAZON", mode: "STRATEGY" }),
        writes: [{ platform: "MEDUSA", sku: "SKU-1", field: "price", from: "21.50", to: "19.99" }],
      }),
    ]);
  });

  it("resolves a quantity conflict where both sides changed to the highest value under HIGHEST_WINS", () => {
    const { decisions } = decideProduct(
      [obs("AMAZON", { quantity: 7 }), obs("MEDUSA", { quantity: 12 })],
      "HIGHEST_WINS",
    );
    expect(decisions[0]).toMatchObject({
      kind: "CONFLICT",
      resolution: { value: 12, winner: "MEDUSA" },
      writes: [{ platform: "AMAZON", from: 7, to: 12 }],
    });
  });

  it("leaves a conflict open with no writes under MANUAL", () => {
    const { decisions } = decideProduct(
      [obs("AMAZON", { quantity: 7 }), obs("MEDUSA", { quantity: 12 })],
      "MANUAL",
    );
    expect(decisions[0]).toMatchObject({ kind: "CONFLICT", resolution: null, writes: [] });
  });

  it("lets a quantity the platform manages (Amazon FBA) win, since it cannot be written", () => {
    const { decisions } = decideProduct(
      [
        obs("AMAZON", { quantity: 4, fixed: ["quantity"] }, { quantity: 4 }),
        obs("MEDUSA", { quantity: 6 }, { quantity: 6 }),
      ],
      "LOWEST_WINS",
    );
    expect(decisions[0]).toMatchObject({
      kind: "CONFLICT",
      resolution: { value: 4, winner: "AMAZON", mode: "PLATFORM_MANAGED" },
      writes: [{ platform: "MEDUSA", from: 6, to: 4 }],
    });
  });

  it("lets a platform-managed quantity win under MANUAL too, since no one can write it", () => {
    const { decisions } = decideProduct(
      [obs("AMAZON", { quantity: 4, fixed: ["quantity"] }), obs("MEDUSA", { quantity: 6 })],
      "MANUAL",
    );
    expect(decisions[0]).toMatchObject({
      resolution: { value: 4, winner: "AMAZON", mode: "PLATFORM_MANAGED" },
      writes: [{ platform: "MEDUSA", from: 6, to: 4 }],
    });
  });

  it("does not propagate a change into a platform-managed value that disagrees", () => {
    const { decisions } = decideProduct(
      [obs("AMAZON", { quantity: 10, fixed: ["quantity"] }), obs("MEDUSA", { quantity: 9 })],
      "SOURCE_WINS",
    );
    expect(decisions[0]).toMatchObject({ kind: "CONFLICT", writes: [{ platform: "MEDUSA", to: 10 }] });
  });

  it("compares statuses by whether they sell and writes only ACTIVE or INACTIVE", () => {
    const { decisions } = decideProduct(
      [
        obs("AMAZON", { status: "SUPPRESSED" }, { status: "SUPPRESSED" }),
        obs("MEDUSA", { status: "ACTIVE" }),
      ],
      "SOURCE_WINS",
    );
    expect(decisions[0]).toMatchObject({
      field: "status",
      kind: "CONFLICT",
      values: { AMAZON: "SUPPRESSED", MEDUSA: "ACTIVE" },
      resolution: { value: "SUPPRESSED", mode: "PLATFORM_MANAGED" },
      writes: [{ platform: "MEDUSA", from: "ACTIVE", to: "INACTIVE" }],
    });
    expect(
      decideProduct(
        [obs("AMAZON", { status: "INCOMPLETE" }), obs("MEDUSA", { status: "INACTIVE" })],
        "SOURCE_WINS",
      ).decisions,
    ).toEqual([]);
  });

  it("leaves alone a disagreement a person chose to ignore, until a value changes", () => {
    const now = [obs("AMAZON", { price: "19.99" }), obs("MEDUSA", { price: "21.50" }, { price: "21.50" })];
    expect(
      decideProduct(now, "SOURCE_WINS", { price: { AMAZON: "19.99", MEDUSA: "21.5" } }).decisions,
    ).toEqual([]);
    expect(
      decideProduct(now, "SOURCE_WINS", { price: { AMAZON: "19.99", MEDUSA: "22.00" } }).decisions,
    ).toHaveLength(1);
  });

  it("never treats a platform without a previous record as the source of a change", () => {
    const { decisions } = decideProduct(
      [obs("AMAZON", {}), obs("MEDUSA", { quantity: 0 }, null)],
      "SOURCE_WINS",
    );
    expect(decisions[0]).toMatchObject({ kind: "CONFLICT", writes: [{ platform: "MEDUSA", to: 10 }] });
  });
});

describe("normalizePrice", () => {
  it("keeps two decimals at least and drops trailing zeros beyond them", () => {
    expect(normalizePrice("19.9")).toBe("19.90");
    expect(normalizePrice("20")).toBe("20.00");
    expect(normalizePrice("19.9900")).toBe("19.99");
    expect(normalizePrice(12.5)).toBe("12.50");
    expect(normalizePrice("abc")).toBeNull();
  });
});
