import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/global-id";
import { asTenant } from "./factories";
import { type SyncHarness, startSyncHarness } from "./sync-harness";

const RESOLVE = `mutation($id: ID!, $resolution: ConflictResolutionInput!) {
  resolveConflict(id: $id, resolution: $resolution) { conflict { status resolvedValue } job { id } userErrors { code } }
}`;
const JOB = `query($id: ID!) { syncJob(id: $id) { status failedItems error } }`;

describe("a conflict resolution, end to end against the marketplace sandbox", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness({ skus: 30, sandbox: { divergence: 0 } });
  });
  afterAll(() => h?.close());

  it("writes the winning price to the platform that disagreed", async () => {
    const { rows } = await h.server.app.ownerPool.query(
      `SELECT a.product_id, a.sku, a.price::text AS amazon, m.price::text AS medusa
         FROM product_listings a JOIN product_listings m ON m.product_id = a.product_id AND m.platform = 'MEDUSA'
        WHERE a.platform = 'AMAZON' AND a.price IS NOT NULL AND m.price IS NOT NULL AND a.price <> m.price
        ORDER BY a.sku LIMIT 1`,
    );
    expect(rows).toHaveLength(1);
    const { product_id: productId, sku, amazon, medusa } = rows[0];
    const conflictId = await asTenant(h.server.app.ownerPool, h.tenantId, async (c) => {
      const res = await c.query<{ id: string }>(
        `INSERT INTO sync_conflicts (product_id, sku, type, field, values, strategy, updated_at)
         VALUES ($1, $2, 'PRICE', 'price', $3, 'MANUAL', now()) RETURNING id`,
        [productId, sku, JSON.stringify({ AMAZON: amazon, MEDUSA: medusa })],
      );
      return res.rows[0]!.id;
    });

    const out = (
      await h.server.gql(RESOLVE, {
        id: toGlobalId("SyncConflict", conflictId),
        resolution: { strategy: "SOURCE_WINS" },
      })
    ).data!.resolveConflict;
    expect(out).toMatchObject({ userErrors: [], conflict: { status: "RESOLVED", resolvedValue: amazon } });

    let job: { status: string; failedItems: number; error: string | null };
    for (;;) {
      job = (await h.server.gql(JOB, { id: out.job.id })).data!.syncJob;
      if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(job).toMatchObject({ status: "SUCCEEDED", failedItems: 0 });

    const connection = await h.server.app.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.tenant_id', ${h.tenantId}, true)`;
      return tx.platformConnection.findFirstOrThrow({ where: { kind: "MEDUSA" } });
    });
    const [onMedusa] = await h.server.app.services.connections.connectorFor(connection).readBySkus([sku]);
    expect(onMedusa?.price).toBe(amazon);
  });
});
