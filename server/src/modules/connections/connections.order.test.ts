import { describe, expect, it } from "vitest";
import { MAX_PRIORITY, orderPriorities, type Ranked } from "./connections.order";

const rank = (...priorities: number[]) => priorities.map((priority, i) => ({ id: `c${i}`, priority }));

/** Applies the writes and reads the order back as the server lists it (priority, then the id as the tie). */
function listedAfter(ranked: Ranked[], order: string[]): string[] {
  const writes = new Map(orderPriorities(ranked, order).map((w) => [w.id, w.priority]));
  return ranked
    .map((r) => ({ id: r.id, priority: writes.get(r.id) ?? r.priority }))
    .sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id))
    .map((r) => r.id);
}

describe("orderPriorities", () => {
  it("swaps the priorities of two neighbours when one moves up, writing only those two", () => {
    expect(orderPriorities(rank(1, 2, 3), ["c0", "c2", "c1"])).toEqual([
      { id: "c2", priority: 2 },
      { id: "c1", priority: 3 },
    ]);
  });

  it("gives any order asked for, moving several places at once", () => {
    expect(listedAfter(rank(10, 20, 30, 40), ["c3", "c1", "c0", "c2"])).toEqual(["c3", "c1", "c0", "c2"]);
  });

  it("breaks equal priorities apart so the new order does not depend on names", () => {
    const ranked = rank(5, 5, 5);
    expect(listedAfter(ranked, ["c2", "c0", "c1"])).toEqual(["c2", "c0", "c1"]);
    const writes = orderPriorities(ranked, ["c2", "c0", "c1"]);
    expect(new Set(writes.map((w) => w.priority)).size).toBe(writes.length);
  });

  it("keeps within the accepted range when the priorities sit at its top", () => {
    const ranked = rank(MAX_PRIORITY, MAX_PRIORITY);
    expect(listedAfter(ranked, ["c1", "c0"])).toEqual(["c1", "c0"]);
    for (const w of orderPriorities(ranked, ["c1", "c0"]))
      expect(w.priority).toBeLessThanOrEqual(MAX_PRIORITY);
  });

  it("writes nothing for the order there already is", () => {
    expect(orderPriorities(rank(1, 2), ["c0", "c1"])).toEqual([]);
    expect(orderPriorities([], [])).toEqual([]);
  });
});
