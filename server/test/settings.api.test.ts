import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { createTenant } from "./factories";

const SETTINGS =
  "autoSync syncIntervalMinutes conflictStrategy lowStockThreshold outOfStockThreshold maxPriceVariancePct";
const UPDATE = `mutation($input: UpdatePlatformSyncSettingsInput!) {
  updatePlatformSyncSettings(input: $input) { settings { ${SETTINGS} } userErrors { field code message } }
}`;
const READ = `{ platformSyncSettings { ${SETTINGS} } }`;

describe("updatePlatformSyncSettings over GraphQL", () => {
  let server: TestServer;
  let tenantId: string;
  let otherId: string;

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const p = createOwnerPool(dbUrl);
      ({ tenantId } = await createTenant(p, "demo"));
      ({ tenantId: otherId } = await createTenant(p, "other"));
      await p.end();
    });
  });
  afterAll(() => server?.close());

  const codes = (errors: { field: string[]; code: string }[]) =>
    errors.map((e) => `${e.field.join(".")}:${e.code}`);

  it("saves what it is given, keeps the rest, and records each change in history", async () => {
    const out = (
      await server.gql(UPDATE, {
        input: {
          autoSync: false,
          syncIntervalMinutes: 15,
          conflictStrategy: "HIGHEST_WINS",
          maxPriceVariancePct: "7.50",
        },
      })
    ).data!.updatePlatformSyncSettings;
    expect(out.userErrors).toEqual([]);
    const expected = {
      autoSync: false,
      syncIntervalMinutes: 15,
      conflictStrategy: "HIGHEST_WINS",
      lowStockThreshold: 10,
      outOfStockThreshold: 0,
      maxPriceVariancePct: "7.50",
    };
    expect(out.settings).toEqual(expected);
    expect((await server.gql(READ)).data!.platformSyncSettings).toEqual(expected);

    const { rows } = await server.app.ownerPool.query(
      "SELECT field, old_value, new_value FROM sync_history WHERE tenant_id = $1 ORDER BY field",
      [tenantId],
    );
    expect(rows).toEqual([
      { field: "settings.autoSync", old_value: true, new_value: false },
      { field: "settings.conflictStrategy", old_value: "SOURCE_WINS", new_value: "HIGHEST_WINS" },
      { field: "settings.maxPriceVariancePct", old_value: "5.00", new_value: "7.50" },
      { field: "settings.syncIntervalMinutes", old_value: 30, new_value: 15 },
    ]);
  });

  it("refuses invalid values field by field and saves nothing", async () => {
    const before = (await server.gql(READ)).data!.platformSyncSettings;
    const out = (
      await server.gql(UPDATE, {
        input: {
          syncIntervalMinutes: 4,
          lowStockThreshold: -1,
          maxPriceVariancePct: "100.50",
          autoSync: true,
        },
      })
    ).data!.updatePlatformSyncSettings;
    expect(out.settings).toBeNull();
    expect(codes(out.userErrors)).toEqual([
      "input.syncIntervalMinutes:OUT_OF_RANGE",
      "input.lowStockThreshold:OUT_OF_RANGE",
      "input.maxPriceVariancePct:OUT_OF_RANGE",
    ]);
    const inverted = (await server.gql(UPDATE, { input: { lowStockThreshold: 2, outOfStockThreshold: 3 } }))
      .data!.updatePlatformSyncSettings;
    expect(codes(inverted.userErrors)).toEqual(["input.outOfStockThreshold:THRESHOLD_ORDER"]);
    expect((await server.gql(READ)).data!.platformSyncSettings).toEqual(before);
  });

  it("refuses a malformed percentage at the API boundary", async () => {
    const res = await server.gql(UPDATE, { input: { maxPriceVariancePct: 5.5 } });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("changes only the caller's tenant", async () => {
    await server.gql(UPDATE, { input: { syncIntervalMinutes: 60 } }, await server.as("other"));
    const { rows } = await server.app.ownerPool.query(
      "SELECT tenant_id, sync_interval_minutes FROM platform_sync_settings ORDER BY sync_interval_minutes",
    );
    expect(rows).toEqual([
      { tenant_id: tenantId, sync_interval_minutes: 15 },
      { tenant_id: otherId, sync_interval_minutes: 60 },
    ]);
  });
});
