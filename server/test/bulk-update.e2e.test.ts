import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishedQuantity } from "../src/modules/catalog/bulk-update.rules";
import { jobIdOf, type SyncHarness, startSyncHarness } from "./sync-harness";

const ROWS = 10_000;
const BULK = `mutation($input: BulkUpdateInventoryInput!) {
  bulkUpdateInventory(input: $input) {
    job { id totalItems } results { index sku status errors { code } skipped { platform field code } } userErrors { code } replayed
  }
}`;
const JOB = `query($id: ID!) {
  syncJob(id: $id) { status processedItems failedItems error failures(first: 5) { sku platform field errorCode error } }
}`;

describe("a 10,000-row bulk update, end to end against the marketplace sandbox", () => {
  let h: SyncHarness;

  beforeAll(async () => {
    h = await startSyncHarness({ skus: ROWS, sandbox: { divergence: 0 } });
  }, 300_000);
  afterAll(() => h?.close());

  it("applies every row in one call, reports each, and the platforms end up with the new quantities", async () => {
    const { rows: items } = await h.server.app.ownerPool.query<{
      sku: string;
      quantity: number;
      reserved: number;
      fba: boolean;
      elsewhere: boolean;
    }>(
      `SELECT s.sku, s.quantity, s.reserved_quantity AS reserved, s.fulfillment_channel = 'FBA' AS fba,
              EXISTS (SELECT 1 FROM product_listings l WHERE l.product_id = s.product_id AND l.platform <> 'AMAZON'
                                                        AND l.status <> 'DELETED') AS elsewhere
         FROM seller_inventory s ORDER BY s.sku`,
    );
    expect(items).toHaveLength(ROWS);
    const updates = items.map((i) => ({ sku: i.sku, quantityDelta: 3 }));
    // Amazon counts FBA stock itself: where it is the only channel, the change has nowhere to go.
    const amazonOnly = (i: (typeof items)[number]) => i.fba && !i.elsewhere;
    expect(items.filter(amazonOnly).length).toBeGreaterThan(0);

    const started = performance.now();
    const res = await h.server.gql(BULK, {
      input: { updates, idempotencyKey: "bulk-10k", errorPolicy: "REJECT_FAILED_ROWS" },
    });
    const elapsed = performance.now() - started;
    console.info(`bulkUpdateInventory: ${ROWS} rows applied and planned in ${Math.round(elapsed)} ms`);
    expect(res.errors).toBeUndefined();
    const out = res.data!.bulkUpdateInventory;
    expect(out.results).toHaveLength(ROWS);
    type Result = { status: string; index: number; errors: { code: string }[]; skipped: unknown[] };
    expect(out.userErrors).toHaveLength(items.filter(amazonOnly).length);
    out.results.forEach((r: Result, i: number) => {
      const item = items[i]!;
      expect(r.index).toBe(i);
      if (amazonOnly(item))
        expect(r).toMatchObject({ status: "FAILED", errors: [{ code: "PLATFORM_MANAGED" }] });
      else
        expect(r).toMatchObject({
          status: "APPLIED",
          skipped: item.fba ? [{ platform: "AMAZON", field: "quantity", code: "PLATFORM_MANAGED" }] : [],
        });
    });

    const { rows: after } = await h.server.app.ownerPool.query<{ sku: string; quantity: number }>(
      "SELECT sku, quantity FROM seller_inventory ORDER BY sku",
    );
    expect(after.every((r, i) => r.quantity === items[i]!.quantity + (amazonOnly(items[i]!) ? 0 : 3))).toBe(
      true,
    );
    const { rows: history } = await h.server.app.ownerPool.query(
      "SELECT count(*)::int AS n FROM sync_history WHERE reason = 'bulkUpdateInventory'",
    );
    expect(history[0].n).toBe(ROWS - items.filter(amazonOnly).length);

    let job:
      | { status: string; processedItems: number; failedItems: number; error: string | null }
      | undefined;
    for (;;) {
      job = (await h.server.gql(JOB, { id: out.job.id })).data!.syncJob;
      if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(job!.status)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    console.info(
      `propagation job: ${JSON.stringify(job)} after ${Math.round(performance.now() - started)} ms`,
    );
    expect(job).toMatchObject({ status: "SUCCEEDED", failedItems: 0 });
    // No write for an FBA quantity was planned: Amazon keeps its own number.
    const { rows: amazonQuantities } = await h.server.app.ownerPool.query(
      `SELECT i.sku FROM sync_job_items i JOIN seller_inventory s ON s.product_id = i.product_id
        WHERE i.job_id = $1 AND i.platform = 'AMAZON' AND i.field = 'quantity' AND s.fulfillment_channel = 'FBA'`,
      [jobIdOf(out.job.id)],
    );
    expect(amazonQuantities).toEqual([]);
    expect([...h.sandbox.state.amazon.values()].filter((l) => l.partial)).toEqual([]);

    // Read back through the product's own Medusa connector: the platform holds each SKU's published quantity.
    const medusa = await h.server.app.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.tenant_id', ${h.tenantId}, true)`;
      return tx.platformConnection.findFirstOrThrow({ where: { kind: "MEDUSA" } });
    });
    const sample = items.filter((item, i) => i % 200 === 0 && !amazonOnly(item));
    const read = await h.server.app.services.connections
      .connectorFor(medusa)
      .readBySkus(sample.map((s) => s.sku));
    const bySku = new Map(read.map((l) => [l.sku, l.quantity]));
    for (const s of sample) {
      if (!bySku.has(s.sku)) continue;
      expect([s.sku, bySku.get(s.sku)]).toEqual([
        s.sku,
        publishedQuantity(s.quantity + 3 - s.reserved, medusa),
      ]);
    }
    expect(bySku.size).toBeGreaterThan(0);

    const replay = (
      await h.server.gql(BULK, {
        input: { updates, idempotencyKey: "bulk-10k", errorPolicy: "REJECT_FAILED_ROWS" },
      })
    ).data!.bulkUpdateInventory;
    expect(replay.replayed).toBe(true);
    expect(replay.job.id).toBe(out.job.id);
  }, 600_000);
});
