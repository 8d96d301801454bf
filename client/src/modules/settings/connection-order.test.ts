import { describe, expect, it } from "vitest";
import { MAX_PRIORITY, movePriorities } from "./connection-order";

const rank = (...priorities: number[]) => priorities.map((priority, i) => ({ id: `c${i}`, priority }));

/** Applies the writes and reads the order back as the server lists it (priority, then the id as the tie). */
function orderAfter(ranked: ReturnType<typeof rank>, from: number, to: number): string[] {
  const writes = new Map(movePriorities(ranked, from, to).map((w) => [w.id, w.priority]));
  return ranked
    .map((r) => ({ id: r.id, priority: writes.get(r.id) ?? r.priority }))
    .sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id))
    .map((r) => r.id);
}

describe("movePriorities", () => {
  it("swaps the priorities of two neighbours when one moves up, writing only those two", () => {
    expect(movePriorities(rank(1, 2, 3), 2, 1)).toEqual([
      { id: "c2", priority: 2 },
      { id: "c1", priority: 3 },
    ]);
  });

  it("moves an item down past a neighbour", () => {
    expect(orderAfter(rank(10, 20, 30), 0, 1)).toEqual(["c1", "c0", "c2"]);
  });

  it("breaks equal priorities apart so the new order does not depend on names", () => {
    const ranked = rank(5, 5, 5);
    expect(orderAfter(ranked, 2, 0)).toEqual(["c2", "c0", "c1"]);
    const writes = movePriorities(ranked, 2, 0);
    expect(new Set(writes.map((w) => w.priority)).size).toBe(writes.length);
  });

  it("keeps within the accepted range when the priorities sit at its top", () => {
    const ranked = rank(MAX_PRIORITY, MAX_PRIORITY);
    expect(orderAfter(ranked, 1, 0)).toEqual(["c1", "c0"]);
    for (const w of movePriorities(ranked, 1, 0)) expect(w.priority).toBeLessThanOrEqual(MAX_PRIORITY);
  });

  it("writes nothing for a move to the same place or out of the list", () => {
    expect(movePriorities(rank(1, 2), 0, 0)).toEqual([]);
    expect(movePriorities(rank(1, 2), 0, -1)).toEqual([]);
    expect(movePriorities(rank(1, 2), 1, 2)).toEqual([]);
  });
});
