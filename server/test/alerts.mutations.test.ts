import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/global-id";
import { createOwnerPool } from "../src/platform/db";
import { startTestServer, type TestServer } from "./app";
import { apiKeyOf, signedInAs } from "./auth";
import { asTenant, createTenant } from "./factories";

const ALERT = "id status acknowledgedAt resolvedAt resolvedBy";
const ACK = `mutation($id: ID!) { acknowledgeAlert(id: $id) { alert { ${ALERT} } userErrors { field code message } } }`;
const RESOLVE = `mutation($id: ID!) { resolveAlert(id: $id) { alert { ${ALERT} } userErrors { field code message } } }`;
const RESOLVE_MANY = `mutation($ids: [ID!]!) {
  resolveAlerts(ids: $ids) { alerts { ${ALERT} } userErrors { field code message } }
}`;

describe("alert mutations over GraphQL", () => {
  let server: TestServer;
  let pool: pg.Pool;
  let tenantId: string;
  let otherTenantId: string;

  async function newAlert(tenant = tenantId, status = "OPEN") {
    const { rows } = await asTenant(pool, tenant, (c) =>
      c.query<{ id: string }>(
        `INSERT INTO alerts (type, priority, status, title, message, updated_at)
         VALUES ('LOW_STOCK', 'MEDIUM', $1, 'Low stock', 'SKU-1 is low', now()) RETURNING id`,
        [status],
      ),
    );
    return toGlobalId("Alert", rows[0]!.id);
  }
  const statusOf = async (id: string) =>
    (await server.gql(`query($id: ID!) { alert(id: $id) { ${ALERT} } }`, { id })).data!.alert;

  beforeAll(async () => {
    server = await startTestServer(async (dbUrl) => {
      const p = createOwnerPool(dbUrl);
      ({ tenantId } = await createTenant(p, "demo"));
      ({ tenantId: otherTenantId } = await createTenant(p, "other"));
      await p.end();
    });
    pool = server.app.ownerPool;
  });
  afterAll(() => server?.close());

  it("acknowledges an open alert, then refuses to acknowledge it again", async () => {
    const id = await newAlert();
    const first = (await server.gql(ACK, { id })).data!.acknowledgeAlert;
    expect(first.userErrors).toEqual([]);
    expect(first.alert).toMatchObject({ id, status: "ACKNOWLEDGED", resolvedAt: null });
    expect(first.alert.acknowledgedAt).toEqual(expect.any(String));

    const again = (await server.gql(ACK, { id })).data!.acknowledgeAlert;
    expect(again).toMatchObject({
      alert: null,
      userErrors: [{ field: ["id"], code: "ALREADY_ACKNOWLEDGED" }],
    });
  });

  it("resolves an acknowledged alert recording who resolved it, and refuses a second resolution", async () => {
    const id = await newAlert(tenantId, "ACKNOWLEDGED");
    const res = (await server.gql(RESOLVE, { id })).data!.resolveAlert;
    expect(res.userErrors).toEqual([]);
    const owner = await signedInAs(server.app, "demo", "OWNER", "resolver");
    const byUser = (await server.gql(RESOLVE, { id: await newAlert() }, owner.headers)).data!.resolveAlert;
    expect(byUser.alert).toMatchObject({ status: "RESOLVED", resolvedBy: `USER:${owner.id}` });
    expect(res.alert.status).toBe("RESOLVED");
    expect(res.alert.resolvedAt).toEqual(expect.any(String));

    const key = await apiKeyOf(server.app, "demo", ["write_alerts"]);
    const partner = (await server.gql(RESOLVE, { id: await newAlert() }, key.headers)).data!.resolveAlert;
    expect(partner.alert.resolvedBy).toBe(`API_KEY:${key.id}`);

    const again = (await server.gql(RESOLVE, { id })).data!.resolveAlert;
    expect(again.userErrors).toEqual([
      { field: ["id"], code: "ALREADY_RESOLVED", message: "The alert is already resolved" },
    ]);
    expect((await server.gql(ACK, { id })).data!.acknowledgeAlert.userErrors[0].code).toBe(
      "ALREADY_RESOLVED",
    );
  });

  it("resolves many alerts at once", async () => {
    const ids = [await newAlert(), await newAlert(tenantId, "ACKNOWLEDGED")];
    const res = (await server.gql(RESOLVE_MANY, { ids })).data!.resolveAlerts;
    expect(res.userErrors).toEqual([]);
    expect(res.alerts.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([
      [ids[0], "RESOLVED"],
      [ids[1], "RESOLVED"],
    ]);
  });

  it("changes nothing when any id of a batch is refused, reporting each by its position", async () => {
    const open = await newAlert();
    const resolved = await newAlert(tenantId, "RESOLVED");
    const foreign = await newAlert(otherTenantId);
    const res = (await server.gql(RESOLVE_MANY, { ids: [open, resolved, foreign, "bm9wZQ", open] })).data!
      .resolveAlerts;
    expect(res.alerts).toEqual([]);
    expect(
      res.userErrors.map((e: { field: string[]; code: string }) => `${e.field.join(".")}:${e.code}`),
    ).toEqual(["ids.3:INVALID_ID"]);
    const res2 = (await server.gql(RESOLVE_MANY, { ids: [open, resolved, foreign, open] })).data!
      .resolveAlerts;
    expect(
      res2.userErrors.map((e: { field: string[]; code: string }) => `${e.field.join(".")}:${e.code}`),
    ).toEqual(["ids.1:ALREADY_RESOLVED", "ids.2:NOT_FOUND", "ids.3:DUPLICATE_ID"]);
    expect((await statusOf(open)).status).toBe("OPEN");
  });

  it("treats another tenant's alert as not found and leaves it alone", async () => {
    const foreign = await newAlert(otherTenantId);
    for (const mutation of [ACK, RESOLVE]) {
      const res = await server.gql(mutation, { id: foreign });
      const payload = Object.values(res.data!)[0] as { userErrors: { code: string }[] };
      expect(payload.userErrors.map((e) => e.code)).toEqual(["NOT_FOUND"]);
    }
    const { rows } = await pool.query("SELECT status FROM alerts WHERE tenant_id = $1", [otherTenantId]);
    expect(rows.every((r) => r.status === "OPEN")).toBe(true);
  });
});
