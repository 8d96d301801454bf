import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SyncHarness, startSyncHarness } from "./sync-harness";

describe("the sync test harness", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness({ skus: 50 });
  });
  afterAll(() => h?.close());

  it("serves the demo tenant with healthy connections to the sandbox", async () => {
    const res = await h.server.gql(
      "{ platformConnections { kind lastHealthStatus } inventory(first: 1) { totalCount } }",
    );
    expect(res.data!.inventory.totalCount).toBe(50);
    expect(res.data!.platformConnections).toEqual([
      { kind: "AMAZON", lastHealthStatus: "HEALTHY" },
      { kind: "MEDUSA", lastHealthStatus: "HEALTHY" },
    ]);
  });
});
