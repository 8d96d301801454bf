import { describe, expect, it } from "vitest";
import { mergeSettings, type SettingsValues, settingsErrors } from "./settings.rules";

const current: SettingsValues = {
  autoSync: true,
  syncIntervalMinutes: 30,
  conflictStrategy: "SOURCE_WINS",
  lowStockThreshold: 10,
  outOfStockThreshold: 0,
  maxPriceVariancePct: "5.00",
};
const errorsFor = (change: Parameters<typeof mergeSettings>[1]) =>
  settingsErrors(mergeSettings(current, change), change).map((e) => `${e.field.join(".")}:${e.code}`);

describe("sync settings rules", () => {
  it("keeps fields left out and accepts values at the edges", () => {
    expect(mergeSettings(current, { autoSync: false, lowStockThreshold: null })).toEqual({
      ...current,
      autoSync: false,
    });
    expect(
      errorsFor({ syncIntervalMinutes: 5, maxPriceVariancePct: "100.00", outOfStockThreshold: 10 }),
    ).toEqual([]);
  });

  it("refuses short intervals, negative thresholds, inverted thresholds and variance outside 0..100", () => {
    expect(errorsFor({ syncIntervalMinutes: 4 })).toEqual(["input.syncIntervalMinutes:OUT_OF_RANGE"]);
    expect(errorsFor({ lowStockThreshold: -1, outOfStockThreshold: -2 })).toEqual([
      "input.lowStockThreshold:OUT_OF_RANGE",
      "input.outOfStockThreshold:OUT_OF_RANGE",
    ]);
    expect(errorsFor({ outOfStockThreshold: 11 })).toEqual(["input.outOfStockThreshold:THRESHOLD_ORDER"]);
    expect(errorsFor({ lowStockThreshold: 3, outOfStockThreshold: null })).toEqual([]);
    expect(errorsFor({ maxPriceVariancePct: "100.01" })).toEqual(["input.maxPriceVariancePct:OUT_OF_RANGE"]);
    expect(errorsFor({ maxPriceVariancePct: "-1" })).toEqual(["input.maxPriceVariancePct:OUT_OF_RANGE"]);
  });
});
