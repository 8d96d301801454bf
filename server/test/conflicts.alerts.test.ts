import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SyncHarness, startJob, startSyncHarness, waitForJob } from "./sync-harness";

const OPEN_CONFLICT_ALERTS = `query($first: Int) {
  alerts(first: $first, filter: { type: [SYNC_CONFLICT], status: [OPEN, ACKNOWLEDGED] }) {
    nodes { id status payload conflict { id sku field type status } }
  }
}`;
const ALERT = `query($id: ID!) { alert(id: $id) { id status resolvedBy conflict { id status } } }`;
const RESOLVE = `mutation($id: ID!, $resolution: ConflictResolutionInput!) {
  resolveConflict(id: $id, resolution: $resolution) { conflict { id status } job { id } userErrors { field code message } }
}`;
const RESOLVE_MANY = `mutation($ids: [ID!], $strategy: ConflictStrategy!) {
  resolveConflicts(ids: $ids, strategy: $strategy) { conflicts { id status } userErrors { field code message } }
}`;

interface ConflictAlert {
  id: string;
  status: string;
  payload: { sku: string; field: string };
  conflict: { id: string; sku: string; field: string; type: string; status: string } | null;
}

/** Conflicts found by a real sync against the sandbox, left open (MANUAL), and the alerts raised for them. */
describe("resolving a conflict a sync found closes its alert", () => {
  let h: SyncHarness;
  let alerts: ConflictAlert[];

  const openConflictAlerts = async () =>
    (await h.server.gql(OPEN_CONFLICT_ALERTS, { first: 250 })).data!.alerts.nodes as ConflictAlert[];
  const alertOf = async (id: string) => (await h.server.gql(ALERT, { id })).data!.alert;
  // Prices are never managed by a platform, so any strategy may write them.
  const priceAlerts = () => alerts.filter((a) => a.payload.field === "price");

  beforeAll(async () => {
    h = await startSyncHarness({ skus: 200 });
    await h.server.app.ownerPool.query(
      `UPDATE platform_sync_settings SET conflict_strategy = 'MANUAL' WHERE tenant_id = $1`,
      [h.tenantId],
    );
    // The demo seed's own conflicts and alerts are set aside: only what the sync raises counts here.
    await h.server.app.ownerPool.query(`DELETE FROM alerts WHERE tenant_id = $1`, [h.tenantId]);
    await h.server.app.ownerPool.query(`DELETE FROM sync_conflicts WHERE tenant_id = $1`, [h.tenantId]);
    const { id } = await startJob(h.server, { type: "FULL" });
    expect((await waitForJob(h.server, id)).status).toBe("SUCCEEDED");
    alerts = await openConflictAlerts();
  }, 180_000);
  afterAll(() => h?.close());

  it("links every SYNC_CONFLICT alert a sync raises to its open conflict", () => {
    expect(priceAlerts().length).toBeGreaterThanOrEqual(3);
    for (const alert of alerts) {
      expect(alert.conflict).toMatchObject({
        sku: alert.payload.sku,
        field: alert.payload.field,
        status: "OPEN",
      });
    }
  });

  it("filters alerts by the product's SKU", async () => {
    const sku = alerts[0]!.payload.sku;
    const bySku = (
      await h.server.gql(
        `query($sku: String) { alerts(first: 250, filter: { sku: $sku }) { nodes { product { sku } } } }`,
        {
          sku,
        },
      )
    ).data!.alerts.nodes as Array<{ product: { sku: string } | null }>;
    expect(bySku.length).toBeGreaterThan(0);
    expect(bySku.every((a) => a.product?.sku === sku)).toBe(true);
    const none = (await h.server.gql(`{ alerts(filter: { sku: "NO-SUCH-SKU" }) { nodes { id } } }`)).data!
      .alerts;
    expect(none.nodes).toEqual([]);
  });

  it("keeps the link when the next sync finds the same disagreement", async () => {
    const { id } = await startJob(h.server, { type: "FULL" });
    expect((await waitForJob(h.server, id)).status).toBe("SUCCEEDED");
    const again = await openConflictAlerts();
    const byId = new Map(again.map((a) => [a.id, a]));
    for (const alert of priceAlerts()) expect(byId.get(alert.id)?.conflict?.id).toBe(alert.conflict!.id);
  }, 180_000);

  it("shows each platform's value with when it was read, and what the tenant's strategy would pick", async () => {
    const READINGS = `query($id: ID!) {
      conflict(id: $id) { values readings { platform value readAt } suggestion { strategy platform value } }
    }`;
    const id = priceAlerts()[0]!.conflict!.id;
    const manual = (await h.server.gql(READINGS, { id })).data!.conflict;
    expect(manual.suggestion).toBeNull();
    expect(manual.readings.map((r: { platform: string }) => r.platform)).toEqual(
      Object.keys(manual.values).sort(),
    );
    for (const r of manual.readings) {
      expect(r.value).toEqual(manual.values[r.platform]);
      expect(Date.parse(r.readAt)).toBeGreaterThan(Date.now() - 10 * 60_000);
    }
    await h.server.app.ownerPool.query(
      `UPDATE platform_sync_settings SET conflict_strategy = 'HIGHEST_WINS' WHERE tenant_id = $1`,
      [h.tenantId],
    );
    try {
      const highest = (await h.server.gql(READINGS, { id })).data!.conflict;
      const top = [...manual.readings].sort((a, b) => Number(b.value) - Number(a.value))[0];
      expect(highest.suggestion).toEqual({
        strategy: "HIGHEST_WINS",
        platform: top.platform,
        value: top.value,
      });
    } finally {
      await h.server.app.ownerPool.query(
        `UPDATE platform_sync_settings SET conflict_strategy = 'MANUAL' WHERE tenant_id = $1`,
        [h.tenantId],
      );
    }
  });

  it("resolves the alert with the conflict, by strategy and by a value given by hand", async () => {
    const [byStrategy, byValue] = priceAlerts();
    const first = (
      await h.server.gql(RESOLVE, { id: byStrategy!.conflict!.id, resolution: { strategy: "HIGHEST_WINS" } })
    ).data!.resolveConflict;
    expect(first.userErrors).toEqual([]);
    expect(first.conflict.status).toBe("RESOLVED");
    expect(await alertOf(byStrategy!.id)).toMatchObject({
      status: "RESOLVED",
      conflict: { id: byStrategy!.conflict!.id, status: "RESOLVED" },
    });

    const second = (
      await h.server.gql(RESOLVE, { id: byValue!.conflict!.id, resolution: { value: "12.34" } })
    ).data!.resolveConflict;
    expect(second.userErrors).toEqual([]);
    expect((await alertOf(byValue!.id)).status).toBe("RESOLVED");
  });

  it("resolves the alerts of conflicts resolved together", async () => {
    const rest = priceAlerts().slice(2);
    const out = (
      await h.server.gql(RESOLVE_MANY, { ids: rest.map((a) => a.conflict!.id), strategy: "LOWEST_WINS" })
    ).data!.resolveConflicts;
    expect(out.userErrors).toEqual([]);
    for (const alert of rest) expect((await alertOf(alert.id)).status).toBe("RESOLVED");
    const open = new Set((await openConflictAlerts()).map((a) => a.id));
    for (const alert of priceAlerts()) expect(open.has(alert.id)).toBe(false);
  });

  it("closes an alert raised before alerts carried their conflict, matched by SKU and field, on ignore", async () => {
    const other = alerts.find((a) => a.payload.field !== "price");
    expect(other).toBeDefined();
    const rowId = Buffer.from(other!.id, "base64url").toString().split(":")[1];
    await h.server.app.ownerPool.query("UPDATE alerts SET conflict_id = NULL WHERE id = $1", [rowId]);
    expect((await alertOf(other!.id)).conflict).toBeNull();
    const out = (
      await h.server.gql(
        `mutation($id: ID!) { ignoreConflict(id: $id) { conflict { status } userErrors { code } } }`,
        { id: other!.conflict!.id },
      )
    ).data!.ignoreConflict;
    expect(out).toEqual({ conflict: { status: "IGNORED" }, userErrors: [] });
    expect((await alertOf(other!.id)).status).toBe("RESOLVED");
  });
});
