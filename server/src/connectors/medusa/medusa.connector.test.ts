import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { medusaFor } from "../../../test/connectors/sandbox-fixture";
import { type RunningSandbox, startSandbox } from "../../sandbox/sandbox.server";
import type { NormalizedListing } from "../port";

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 11, skus: 3000, speedUp: 100, validateContracts: true });
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(() => sandbox.control.clearFaults());

const live = () => [...sandbox.state.medusa.values()].filter((e) => !e.deleted);

describe("Medusa connector against the sandbox", () => {
  it("pages through every variant with its price and the available quantity at the synced location", async () => {
    const connector = medusaFor(sandbox);
    const all: NormalizedListing[] = [];
    let cursor: string | null = null;
    do {
      const page = await connector.readPage(cursor, { limit: 250 });
      all.push(...page.listings);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(live().length);
    for (const listing of all.slice(0, 500)) {
      const truth = sandbox.control.medusaEntry(listing.sku)!;
      const level = truth.levels[0]!;
      expect(listing.quantity).toBe(level.stocked - level.reserved);
      expect(listing.price).toBe(truth.prices[0]!.amount);
      expect(listing.status).toBe(truth.productStatus === "published" ? "ACTIVE" : "INACTIVE");
      expect(listing.externalIds).toMatchObject({
        variantId: truth.variantId,
        productId: truth.productId,
        inventoryItemId: truth.inventoryItemId,
      });
    }
    expect(sandbox.control.violations()).toEqual([]);
  });

  it("writes quantities in one batch, keeps reserved units, and fails only the conflicting and unknown items", async () => {
    const connector = medusaFor(sandbox);
    const entries = live().slice(0, 30);
    const conflicted = entries[3]!;
    const updates = entries.map((e, i) => ({
      sku: e.sku,
      quantity: 50 + i,
      ...(i === 3 ? { expectedQuantity: 99_999 } : {}),
    }));
    updates.push({ sku: "NOT-IN-MEDUSA", quantity: 4 });
    const before = sandbox.control.stats().PostInventoryItemsLocationLevelsBatch?.requests ?? 0;
    const results = await connector.applyUpdates(updates);
    expect(sandbox.control.stats().PostInventoryItemsLocationLevelsBatch?.requests).toBe(before + 1);
    expect(results[3]).toMatchObject({ status: "failed", code: "CONFLICT" });
    expect(results[30]).toMatchObject({ status: "failed", code: "NOT_FOUND" });
    results.forEach((r, i) => {
      if (i === 3 || i === 30) return;
      expect(r).toMatchObject({ status: "applied", confirmation: "CONFIRMED" });
      const level = sandbox.control.medusaEntry(entries[i]!.sku)!.levels[0]!;
      expect(level.stocked - level.reserved).toBe(50 + i);
    });
    expect(sandbox.control.medusaEntry(conflicted.sku)!.levels[0]!.stocked).toBe(
      conflicted.levels[0]!.stocked,
    );
    expect(sandbox.control.violations()).toEqual([]);
  });

  it("updates a price through the variant batch route and a status on the product", async () => {
    const connector = medusaFor(sandbox);
    const entry = live()[40]!;
    const result = await connector.applyUpdate({ sku: entry.sku, price: "42.50", status: "INACTIVE" });
    expect(result.status).toBe("applied");
    const after = sandbox.control.medusaEntry(entry.sku)!;
    expect(after.prices.find((p) => p.currency === "usd")?.amount).toBe("42.5");
    expect(after.productStatus).toBe("draft");
    const [read] = await connector.readBySkus([entry.sku]);
    expect(read).toMatchObject({ sku: entry.sku, price: "42.5", status: "INACTIVE" });
    expect(sandbox.control.violations()).toEqual([]);
  });

  it("retries a 5xx burst and reports a bad key as an auth failure", async () => {
    const connector = medusaFor(sandbox);
    sandbox.control.setFaults({ serverErrorNext: 3, only: "medusa" });
    const page = await connector.readPage(null, { limit: 10 });
    expect(page.listings).toHaveLength(10);
    const wrong = medusaFor(sandbox, {}, "sk_wrong");
    expect(await wrong.checkHealth()).toMatchObject({ ok: false, auth: "FAILED" });
    const result = await wrong.applyUpdate({ sku: live()[0]!.sku, quantity: 1 });
    expect(result).toMatchObject({ status: "failed", code: "AUTH", retryable: false });
  });
});
