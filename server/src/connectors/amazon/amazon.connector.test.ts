import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { amazonFor } from "../../../test/connectors/sandbox-fixture";
import { NA_MARKETPLACES } from "../../sandbox/amazon/marketplaces";
import { type RunningSandbox, startSandbox } from "../../sandbox/sandbox.server";
import { inboundOf, reservedOf } from "../../sandbox/sandbox.state";
import { connectorRegistry } from "../index";
import type { ListingUpdate, NormalizedListing } from "../port";

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    seed: 7,
    skus: 10_500,
    speedUp: 200,
    validateContracts: true,
    listingWriteDelayMs: 0,
    feedTiming: { queuedMs: 200, baseMs: 400, perMessageMs: 1 },
  });
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(() => {
  sandbox.control.clearFaults();
});

async function readAll(
  connector: ReturnType<typeof amazonFor>,
  onPage?: (n: number) => void,
): Promise<NormalizedListing[]> {
  const all: NormalizedListing[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await connector.readPage(cursor, { limit: 100 });
    all.push(...page.listings);
    cursor = page.nextCursor;
    onPage?.(++pages);
  } while (cursor);
  return all;
}

describe("Amazon connector against the sandbox", () => {
  // Reading 10,500 listings takes seconds alone, many times that on a loaded machine.
  it("reads every listing past the 1000-result search cap, with FBA quantities, and every exchange matches the SP-API models", {
    timeout: 90_000,
  }, async () => {
    const connector = amazonFor(sandbox);
    const listings = await readAll(connector);
    const live = [...sandbox.state.amazon.values()].filter((l) => !l.deleted);
    expect(live.length).toBeGreaterThan(10_000);
    expect(listings).toHaveLength(live.length);
    expect(new Set(listings.map((l) => l.sku)).size).toBe(live.length);
    for (const listing of listings.slice(0, 2000)) {
      const truth = sandbox.control.amazonListing(listing.sku)!;
      expect(listing.quantity).toBe(truth.quantity);
      expect(Number(listing.price)).toBe(Number(truth.price));
      expect(listing.fulfillmentChannel).toBe(truth.channel);
      expect(listing.status).toBe(truth.status);
      expect(typeof listing.price).toBe("string");
    }
    expect(listings.some((l) => l.fulfillmentChannel === "FBA" && l.quantityDetail)).toBe(true);
    expect(sandbox.control.violations()).toEqual([]);
    await connector.close();
    // 525 searches validated against the SP-API models: CPU-bound, slow on a shared machine.
  });

  it("refreshes an access token that expires mid-run, once, and loses nothing", async () => {
    const connector = amazonFor(sandbox);
    const first = await connector.readPage(null, { limit: 40 });
    expect(connector.lwa.refreshes).toBe(1);
    sandbox.control.expireTokens();
    const second = await connector.readPage(first.nextCursor, { limit: 40 });
    expect(second.listings).toHaveLength(40);
    expect(connector.lwa.refreshes).toBe(2);
    const health = await connector.checkHealth();
    expect(health).toMatchObject({ ok: true, auth: "OK", circuit: "CLOSED" });
    await connector.close();
  });

  it("rides out a 429 storm and a 5xx burst with backoff and retries", async () => {
    const events: string[] = [];
    const connector = amazonFor(sandbox, { onEvent: (e) => events.push(e.type) });
    sandbox.control.setFaults({ rateLimitNext: 12, only: "amazon" });
    const throttledPage = await connector.readBySkus([...sandbox.state.amazon.keys()].slice(0, 60));
    expect(throttledPage).toHaveLength(60);
    expect(events.filter((e) => e === "throttled").length).toBe(12);
    sandbox.control.setFaults({ serverErrorNext: 3 });
    const page = await connector.readPage(null, { limit: 20 });
    expect(page.listings).toHaveLength(20);
    expect(connector.http.breaker.state).toBe("CLOSED");
    await connector.close();
  });

  it("retries through a timeout and a malformed body", async () => {
    const connector = amazonFor(sandbox, { timeoutMs: 300 });
    sandbox.control.setFaults({ timeoutNext: 1, malformedNext: 1 });
    const listings = await connector.readBySkus([...sandbox.state.amazon.keys()].slice(100, 120));
    expect(listings).toHaveLength(20);
    await connector.close();
  });

  it("opens the circuit after repeated failures, fails fast while open, and closes after a successful trial", async () => {
    const connector = amazonFor(sandbox, {
      breaker: { failureThreshold: 3, openMs: 300 },
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const sku = [...sandbox.state.amazon.keys()][5]!;
    // A read by SKU, not a page: a page reads ahead, and a late read-ahead success would close the circuit.
    await connector.readBySkus([sku]);
    sandbox.control.setFaults({ serverErrorNext: 1000 });
    const failed = await connector.applyUpdate({ sku, price: "10.00" });
    expect(failed).toMatchObject({ status: "failed", code: "UNAVAILABLE", retryable: true });
    await connector.applyUpdate({ sku, price: "10.00" });
    expect(connector.http.breaker.state).toBe("OPEN");
    const before = sandbox.control.stats().patchListingsItem?.requests ?? 0;
    const fastFail = await connector.applyUpdate({ sku, price: "10.00" });
    expect(fastFail).toMatchObject({ status: "failed", code: "UNAVAILABLE" });
    expect(fastFail.status === "failed" && fastFail.message).toMatch(/circuit open/);
    expect(sandbox.control.stats().patchListingsItem?.requests ?? 0).toBe(before);
    sandbox.control.clearFaults();
    await new Promise((r) => setTimeout(r, 350));
    expect(connector.http.breaker.state).toBe("HALF_OPEN");
    const ok = await connector.applyUpdate({ sku, price: "10.00" });
    expect(ok).toMatchObject({ status: "applied", confirmation: "ACCEPTED" });
    expect(connector.http.breaker.state).toBe("CLOSED");
    await connector.close();
  });

  it("patches a single listing and reports a compare-and-set conflict when the quantity moved", async () => {
    const connector = amazonFor(sandbox);
    const fbm = [...sandbox.state.amazon.values()].find(
      (l) => l.channel === "FBM" && l.status === "ACTIVE" && !l.deleted,
    )!;
    const result = await connector.applyUpdate({
      sku: fbm.sku,
      quantity: fbm.quantity + 5,
      expectedQuantity: fbm.quantity,
      price: "12.34",
    });
    expect(result.status).toBe("applied");
    expect(sandbox.control.amazonListing(fbm.sku)).toMatchObject({ quantity: fbm.quantity, price: "12.34" });
    const stale = await connector.applyUpdate({
      sku: fbm.sku,
      quantity: 1,
      expectedQuantity: fbm.quantity - 5,
    });
    expect(stale).toMatchObject({ status: "failed", code: "CONFLICT", currentQuantity: fbm.quantity });
    const missing = await connector.applyUpdate({ sku: "NO-SUCH-SKU", quantity: 1 });
    expect(missing).toMatchObject({ status: "failed", code: "NOT_FOUND" });
    const badPrice = await connector.applyUpdate({ sku: fbm.sku, price: "12.345" });
    expect(badPrice).toMatchObject({ status: "failed", code: "INVALID" });
    const off = await connector.applyUpdate({ sku: fbm.sku, status: "INACTIVE" });
    expect(off.status).toBe("applied");
    expect(sandbox.control.amazonListing(fbm.sku)?.status).toBe("INACTIVE");
    await connector.applyUpdate({ sku: fbm.sku, status: "ACTIVE" });
    expect(sandbox.control.amazonListing(fbm.sku)?.status).toBe("ACTIVE");
    await connector.close();
  });

  it("sends bulk changes as a JSON_LISTINGS_FEED and maps the processing report's partial failures to items", async () => {
    const connector = amazonFor(sandbox, { bulkThreshold: 10 });
    const values = [...sandbox.state.amazon.values()].filter((l) => !l.deleted && l.status === "ACTIVE");
    const fbm = values.filter((l) => l.channel === "FBM").slice(0, 40);
    const fba = values.filter((l) => l.channel === "FBA").slice(0, 3);
    const updates: ListingUpdate[] = [
      ...fbm.map((l, i) => ({ sku: l.sku, quantity: 100 + i, ref: `q${i}` })),
      ...fba.map((l) => ({ sku: l.sku, quantity: 1 })),
      { sku: "GHOST-SKU-1", quantity: 3 },
      { sku: fbm[0]!.sku, price: "19.99", currency: "EUR" },
      { sku: fbm[1]!.sku, price: "21.50" },
    ];
    const results = await connector.applyUpdates(updates);
    expect(results).toHaveLength(updates.length);
    expect(results.map((r) => r.sku)).toEqual(updates.map((u) => u.sku));
    expect(results.slice(0, 40).every((r) => r.status === "applied")).toBe(true);
    expect(results[0]).toMatchObject({ ref: "q0", confirmation: "ACCEPTED" });
    expect(results.slice(40, 43).map((r) => r.status === "failed" && r.code)).toEqual([
      "UNSUPPORTED",
      "UNSUPPORTED",
      "UNSUPPORTED",
    ]);
    expect(results[43]).toMatchObject({ status: "failed", code: "NOT_FOUND" });
    expect(results[44]).toMatchObject({ status: "failed", code: "INVALID" });
    expect(results[45]).toMatchObject({ status: "applied" });
    expect(fbm.map((l) => sandbox.control.amazonListing(l.sku)?.quantity)).toEqual(
      fbm.map((_, i) => 100 + i),
    );
    expect(sandbox.control.amazonListing(fbm[1]!.sku)?.price).toBe("21.50");
    expect(sandbox.control.stats().createFeed?.ok).toBeGreaterThanOrEqual(1);
    expect(sandbox.control.violations()).toEqual([]);
    await connector.close();
  });

  it("reports platform-side item errors injected into a feed as retryable failures", async () => {
    const connector = amazonFor(sandbox, { bulkThreshold: 1 });
    sandbox.control.setFaults({ feedItemErrorRate: 0.5 });
    const fbm = [...sandbox.state.amazon.values()]
      .filter((l) => l.channel === "FBM" && !l.deleted)
      .slice(100, 140);
    const results = await connector.applyUpdates(fbm.map((l) => ({ sku: l.sku, quantity: 7 })));
    const failed = results.filter((r) => r.status === "failed");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(40);
    for (const r of failed) expect(r).toMatchObject({ code: "PLATFORM_ERROR", retryable: true });
    expect(fbm.map((l) => sandbox.control.amazonListing(l.sku)?.quantity === 7)).toEqual(
      results.map((r) => r.status === "applied"),
    );
    await connector.close();
  });

  it("reads incrementally what changed since a point in time, FBA changes included", async () => {
    const connector = amazonFor(sandbox);
    const since = new Date();
    await new Promise((r) => setTimeout(r, 5));
    const fbm = [...sandbox.state.amazon.values()].find(
      (l) => l.channel === "FBM" && !l.deleted && l.quantity > 3,
    )!;
    const fba = [...sandbox.state.amazon.values()].find(
      (l) => l.channel === "FBA" && !l.deleted && l.quantity > 3,
    )!;
    sandbox.control.simulateSale("amazon", fbm.sku, 1);
    sandbox.control.simulateSale("amazon", fba.sku, 2);
    const changed: NormalizedListing[] = [];
    let cursor: string | null = null;
    do {
      const page = await connector.readPage(cursor, { since });
      changed.push(...page.listings);
      cursor = page.nextCursor;
    } while (cursor);
    const skus = new Set(changed.map((l) => l.sku));
    expect(skus.has(fbm.sku)).toBe(true);
    expect(skus.has(fba.sku)).toBe(true);
    expect(changed.find((l) => l.sku === fba.sku)?.quantity).toBe(
      sandbox.control.amazonListing(fba.sku)?.quantity,
    );
    await connector.close();
  });

  it("turns the sandbox's notifications into normalised changes", async () => {
    const connector = connectorRegistry.create({
      kind: "AMAZON",
      sellerId: sandbox.credentials.amazon.sellerId,
      marketplaceId: sandbox.credentials.amazon.marketplaceId,
      endpoints: { api: sandbox.amazonBaseUrl, lwa: sandbox.lwaUrl },
      credentials: sandbox.credentials.amazon,
    });
    sandbox.control.drainNotifications();
    const fbm = [...sandbox.state.amazon.values()].find(
      (l) => l.channel === "FBM" && !l.deleted && l.quantity > 2,
    )!;
    const fba = [...sandbox.state.amazon.values()].find(
      (l) => l.channel === "FBA" && !l.deleted && l.quantity > 2,
    )!;
    sandbox.control.simulateSale("amazon", fbm.sku, 2);
    sandbox.control.simulateSale("amazon", fba.sku, 1);
    const changes = sandbox.control
      .drainNotifications()
      .flatMap((body) => connector.parseNotification({ body: JSON.stringify(body) }));
    expect(changes).toContainEqual(
      expect.objectContaining({
        sku: fbm.sku,
        kind: "QUANTITY",
        quantity: fbm.quantity,
        fulfillmentChannel: "FBM",
      }),
    );
    expect(changes).toContainEqual(
      expect.objectContaining({
        sku: fba.sku,
        kind: "QUANTITY",
        quantity: fba.quantity,
        fulfillmentChannel: "FBA",
      }),
    );
    expect(changes.every((c) => typeof c.eventId === "string")).toBe(true);
    expect(sandbox.control.violations()).toEqual([]);
    await connector.close();
  });

  it("reads each store of the seller on its own: Canada's listings in CAD, with the issues raised there", {
    timeout: 90_000,
  }, async () => {
    const ca = NA_MARKETPLACES.find((m) => m.country === "CA")!.id;
    const connector = amazonFor(sandbox, {}, ca);
    const listings = await readAll(connector);
    const offered = [...sandbox.state.amazon.values()].filter((l) => !l.deleted && l.elsewhere[ca]);
    expect(listings).toHaveLength(offered.length);
    for (const listing of listings.slice(0, 1000)) {
      const truth = sandbox.control.amazonListing(listing.sku)!;
      expect(listing).toMatchObject({ currency: "CAD", status: truth.elsewhere[ca]!.status });
      expect(Number(listing.price)).toBe(Number(truth.elsewhere[ca]!.price));
    }
    // An attribute Canada requires and the US does not: incomplete there, still selling at home.
    const incompleteInCa = listings.filter(
      (l) => l.status === "INCOMPLETE" && sandbox.control.amazonListing(l.sku)!.status === "ACTIVE",
    );
    expect(incompleteInCa.length).toBeGreaterThan(0);
    expect(sandbox.control.violations()).toEqual([]);
    await connector.close();
  });

  it("reports Amazon's FBA breakdown: inbound, reserved, researching and unfulfillable units", async () => {
    const connector = amazonFor(sandbox);
    const fba = [...sandbox.state.amazon.values()]
      .filter(
        (l) => !l.deleted && l.channel === "FBA" && l.fba.reservedFcTransfers + l.fba.inboundWorking > 0,
      )
      .slice(0, 40);
    const read = new Map((await connector.readBySkus(fba.map((l) => l.sku))).map((l) => [l.sku, l]));
    for (const truth of fba) {
      expect(read.get(truth.sku)).toMatchObject({
        fulfillmentChannel: "FBA",
        quantity: truth.quantity,
        quantityDetail: {
          inbound: inboundOf(truth),
          reserved: reservedOf(truth),
          researching: truth.fba.researching,
          unfulfillable: truth.fba.unfulfillable,
        },
      });
    }
    await connector.close();
  });

  it("keeps a listing's B2B and sale prices when it writes the price, singly and by feed", async () => {
    const connector = amazonFor(sandbox, { bulkThreshold: 3 });
    const targets = [...sandbox.state.amazon.values()]
      .filter((l) => !l.deleted && l.status === "ACTIVE" && (l.businessPrice || l.sale))
      .slice(0, 4);
    const before = targets.map((l) => ({
      ...(l.businessPrice ? { businessPrice: l.businessPrice } : {}),
      ...(l.sale ? { sale: l.sale } : {}),
    }));
    expect(before.some((b) => b.businessPrice) && before.some((b) => b.sale)).toBe(true);
    const single = await connector.applyUpdate({ sku: targets[0]!.sku, price: "23.45" });
    expect(single.status).toBe("applied");
    const bulk = await connector.applyUpdates(targets.slice(1).map((l) => ({ sku: l.sku, price: "24.50" })));
    expect(bulk.map((r) => r.status)).toEqual(["applied", "applied", "applied"]);
    targets.forEach((l, i) => {
      expect(sandbox.control.amazonListing(l.sku)).toMatchObject({
        price: i === 0 ? "23.45" : "24.50",
        ...before[i],
      });
    });
    await connector.close();
  });

  it("never writes to a SKU the seller has not listed, so Amazon creates no partial listing", async () => {
    const connector = amazonFor(sandbox, { bulkThreshold: 2 });
    const single = await connector.applyUpdate({ sku: "NOT-LISTED-A", quantity: 3, price: "9.99" });
    expect(single).toMatchObject({ status: "failed", code: "NOT_FOUND" });
    const fbm = [...sandbox.state.amazon.values()].find((l) => !l.deleted && l.channel === "FBM")!;
    const bulk = await connector.applyUpdates([
      { sku: "NOT-LISTED-B", quantity: 1 },
      { sku: fbm.sku, quantity: 6 },
      { sku: "NOT-LISTED-C", price: "5.00" },
    ]);
    expect(bulk.map((r) => (r.status === "failed" ? r.code : r.status))).toEqual([
      "NOT_FOUND",
      "applied",
      "NOT_FOUND",
    ]);
    expect(
      ["NOT-LISTED-A", "NOT-LISTED-B", "NOT-LISTED-C"].map((s) => sandbox.control.amazonListing(s)),
    ).toEqual([undefined, undefined, undefined]);
    expect([...sandbox.state.amazon.values()].filter((l) => l.partial)).toEqual([]);
    await connector.close();
  });
});
