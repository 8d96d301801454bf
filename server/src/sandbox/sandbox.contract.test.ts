import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxAccessToken } from "../../test/connectors/sandbox-fixture";
import { OfficialModels } from "../../test/contracts/official-models";
import { PRICE_ALERT_CODE } from "./amazon/listing-mutations";
import { NA_MARKETPLACES } from "./amazon/marketplaces";
import { type RunningSandbox, startSandbox } from "./sandbox.server";
import type { AmazonListing } from "./sandbox.state";

/**
 * Route by route, the sandbox against the official models read by a validator that shares no code with its
 * own: every bad parameter is refused with the status and error shape the model gives, every filter filters,
 * and what the real platforms do (partial listings, issue notifications, Medusa's level batch) happens.
 */
let sandbox: RunningSandbox;
let models: OfficialModels;
let token: string;
const [US, CA, MX] = NA_MARKETPLACES.map((m) => m.id) as [string, string, string];

beforeAll(async () => {
  [sandbox, models] = await Promise.all([
    startSandbox({
      port: 0,
      seed: 21,
      skus: 1500,
      speedUp: 1000,
      validateContracts: true,
      listingWriteDelayMs: 0,
      feedTiming: { queuedMs: 10, baseMs: 20, perMessageMs: 0 },
    }),
    OfficialModels.load(),
  ]);
  token = await sandboxAccessToken(sandbox);
}, 60_000);

afterAll(() => sandbox?.close());

const seller = () => sandbox.credentials.amazon.sellerId;
const items = () => `/listings/2021-08-01/items/${seller()}`;
const live = () => [...sandbox.state.amazon.values()].filter((l) => !l.deleted);

interface Exchange {
  status: number;
  body: unknown;
}

async function call(
  api: "amazon" | "medusa",
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Exchange> {
  const auth: Record<string, string> =
    api === "amazon"
      ? { "x-amz-access-token": token }
      : { authorization: `Basic ${sandbox.credentials.medusa.apiKey}` };
  const res = await fetch(`${sandbox.url}${url}`, {
    method,
    headers: {
      ...auth,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const errorList = {
  errors: [expect.objectContaining({ code: expect.any(String), message: expect.any(String) })],
};

/** A refusal the model itself calls for, in SP-API's error shape, valid against the model's response. */
async function expectAmazonRefusal(method: string, url: string, body?: unknown, status = 400) {
  if (status === 400) expect(models.request("amazon", method, url, body).valid, url).toBe(false);
  const res = await call("amazon", method, url, body);
  expect(res.status, url).toBe(status);
  expect(res.body).toEqual(errorList);
  expect(models.response("amazon", method, url, res.status, res.body).errors).toEqual([]);
}

async function expectMedusaRefusal(method: string, url: string, body?: unknown, status = 400) {
  const res = await call("medusa", method, url, body);
  expect(res.status, url).toBe(status);
  expect(res.body).toEqual({ type: expect.any(String), message: expect.any(String) });
  expect(models.response("medusa", method, url, res.status, res.body).errors).toEqual([]);
  return res.body as { type: string; message: string };
}

async function search(
  query: string,
): Promise<{ numberOfResults: number; items: Array<Record<string, unknown>> }> {
  const url = `${items()}?marketplaceIds=${US}&pageSize=20&${query}`;
  expect(models.request("amazon", "GET", url).errors).toEqual([]);
  const res = await call("amazon", "GET", url);
  expect(res.status, query).toBe(200);
  expect(models.response("amazon", "GET", url, 200, res.body).errors).toEqual([]);
  return res.body as { numberOfResults: number; items: Array<Record<string, unknown>> };
}

describe("SP-API refusals", () => {
  it("searchListingsItems refuses every parameter outside the model with 400 and an error list", async () => {
    for (const query of [
      "includedData=bogus",
      "includedData=summaries,bogus",
      "withStatus=BOGUS",
      "withoutStatus=BOGUS",
      "withIssueSeverity=INFO",
      "identifiers=A&identifiersType=BOGUS",
      `identifiers=${Array.from({ length: 21 }, (_, i) => `S${i}`).join(",")}&identifiersType=SKU`,
      "sortBy=price",
      "sortOrder=UP",
      "pageSize=21",
      "pageSize=many",
      "createdAfter=yesterday",
      "lastUpdatedBefore=2024-13-45",
    ])
      await expectAmazonRefusal("GET", `${items()}?marketplaceIds=${US}&${query}`);
    await expectAmazonRefusal("GET", `${items()}?includedData=summaries`);
  });

  it("searchListingsItems refuses what the model's notes forbid: identifiers without their type and mixed filters", async () => {
    for (const query of [
      "identifiers=A",
      "identifiersType=SKU",
      "identifiers=A&identifiersType=SKU&variationParentSku=B",
    ]) {
      const res = await call("amazon", "GET", `${items()}?marketplaceIds=${US}&${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body).toEqual(errorList);
    }
  });

  it("getListingsItem, patch, put and delete refuse bad parameters and bodies", async () => {
    const sku = live()[0]!.sku;
    const one = `${items()}/${encodeURIComponent(sku)}`;
    await expectAmazonRefusal("GET", `${one}?marketplaceIds=${US}&includedData=bogus`);
    await expectAmazonRefusal("GET", `${one}?includedData=summaries`);
    const patch = {
      productType: "PRODUCT",
      patches: [{ op: "replace", path: "/attributes/item_name", value: [{}] }],
    };
    await expectAmazonRefusal("PATCH", `${one}?marketplaceIds=${US}&mode=LIVE`, patch);
    await expectAmazonRefusal("PATCH", `${one}?marketplaceIds=${US}&includedData=summaries`, patch);
    await expectAmazonRefusal("PATCH", `${one}?marketplaceIds=${US}`, { productType: "PRODUCT" });
    await expectAmazonRefusal("PATCH", `${one}?marketplaceIds=${US}`, {
      productType: "PRODUCT",
      patches: [{ op: "move", path: "/attributes/item_name" }],
    });
    await expectAmazonRefusal("PUT", `${one}?marketplaceIds=${US},${CA}`, {
      productType: "PRODUCT",
      attributes: {},
    });
    await expectAmazonRefusal("PUT", `${one}?marketplaceIds=${US}`, { productType: "PRODUCT" });
    await expectAmazonRefusal("DELETE", `${one}?marketplaceIds=${US},${CA}`);
    expect(sandbox.control.amazonListing(sku)?.deleted).toBe(false);
  });

  it("answers 415 to a body the operation does not consume and 400 to unparsable JSON, in SP-API's shape", async () => {
    const one = `${items()}/${encodeURIComponent(live()[0]!.sku)}?marketplaceIds=${US}`;
    const text = await call("amazon", "PATCH", one, "productType=PRODUCT", { "content-type": "text/plain" });
    expect(text).toEqual({ status: 415, body: errorList });
    expect(models.response("amazon", "PATCH", one, 415, text.body).errors).toEqual([]);
    const xml = await call("amazon", "POST", "/feeds/2021-06-30/feeds", "<feed/>", {
      "content-type": "application/xml",
    });
    expect(xml).toEqual({ status: 415, body: errorList });
    const broken = await call("amazon", "PATCH", one, '{"productType": "PRODUCT", "patches": [');
    expect(broken).toEqual({ status: 400, body: errorList });
    expect(models.response("amazon", "PATCH", one, 400, broken.body).errors).toEqual([]);
  });

  it("getInventorySummaries refuses bad parameters, one store at a time", async () => {
    const base = `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}`;
    for (const query of [
      "&details=maybe",
      "&startDateTime=last-week",
      `&sellerSkus=${Array.from({ length: 51 }, (_, i) => `S${i}`).join(",")}`,
    ])
      await expectAmazonRefusal("GET", `${base}${query}`);
    await expectAmazonRefusal(
      "GET",
      `/fba/inventory/v1/summaries?granularityType=Country&granularityId=${US}&marketplaceIds=${US}`,
    );
    await expectAmazonRefusal(
      "GET",
      `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US},${CA}`,
    );
    await expectAmazonRefusal(
      "GET",
      `/fba/inventory/v1/summaries?granularityType=Marketplace&marketplaceIds=${US}`,
    );
    const old = await call("amazon", "GET", `${base}&startDateTime=2020-01-01T00:00:00Z`);
    expect(old).toEqual({ status: 400, body: errorList });
  });

  it("the Feeds API refuses bad parameters and bodies", async () => {
    for (const query of [
      "feedTypes=JSON_LISTINGS_FEED&pageSize=101",
      "feedTypes=JSON_LISTINGS_FEED&pageSize=0",
      "feedTypes=JSON_LISTINGS_FEED&processingStatuses=BOGUS",
      `feedTypes=${Array.from({ length: 11 }, (_, i) => `T${i}`).join(",")}`,
      "feedTypes=JSON_LISTINGS_FEED&createdSince=monday",
    ])
      await expectAmazonRefusal("GET", `/feeds/2021-06-30/feeds?${query}`);
    const noType = await call("amazon", "GET", "/feeds/2021-06-30/feeds?pageSize=5");
    expect(noType).toEqual({ status: 400, body: errorList });
    const tokenAndMore = await call("amazon", "GET", "/feeds/2021-06-30/feeds?nextToken=abc&pageSize=5");
    expect(tokenAndMore).toEqual({ status: 400, body: errorList });
    await expectAmazonRefusal("POST", "/feeds/2021-06-30/feeds", {
      marketplaceIds: [US],
      inputFeedDocumentId: "x",
    });
    await expectAmazonRefusal("POST", "/feeds/2021-06-30/documents", {});
    await expectAmazonRefusal("GET", "/feeds/2021-06-30/documents/doc1?enableContentEncodingUrlHeader=maybe");
  });
});

describe("SP-API filters and behaviour", () => {
  it("withIssueSeverity, withStatus and withoutStatus filter", async () => {
    const total = (await search("")).numberOfResults;
    for (const severity of ["ERROR", "WARNING"]) {
      const found = await search(`withIssueSeverity=${severity}&includedData=issues`);
      expect(found.numberOfResults).toBeGreaterThan(0);
      expect(found.numberOfResults).toBeLessThan(total);
      for (const item of found.items)
        expect((item.issues as Array<{ severity: string }>).some((i) => i.severity === severity)).toBe(true);
      expect(found.numberOfResults).toBe(
        live().filter((l) => l.issues.some((i) => i.severity === severity && i.marketplaceIds.includes(US)))
          .length,
      );
    }
    const buyable = await search("withStatus=BUYABLE&includedData=summaries");
    const notBuyable = await search("withoutStatus=BUYABLE&includedData=summaries");
    expect(buyable.numberOfResults + notBuyable.numberOfResults).toBe(total);
    for (const item of buyable.items)
      expect((item.summaries as Array<{ status: string[] }>)[0]!.status).toContain("BUYABLE");
    for (const item of notBuyable.items)
      expect((item.summaries as Array<{ status: string[] }>)[0]!.status).not.toContain("BUYABLE");
  });

  it("identifiers find by SKU, ASIN and FNSKU; date windows bound creation and update", async () => {
    const [a, b] = live().filter((l) => l.channel === "FBA");
    for (const [type, ids] of [
      ["SKU", [a!.sku, b!.sku]],
      ["ASIN", [a!.asin!, b!.asin!]],
      ["FNSKU", [a!.fnSku, b!.fnSku]],
    ] as const) {
      const found = await search(
        `identifiers=${ids.map(encodeURIComponent).join(",")}&identifiersType=${type}`,
      );
      expect(found.items.map((i) => i.sku).sort()).toEqual([a!.sku, b!.sku].sort());
    }
    expect((await search("identifiers=0123456789012&identifiersType=EAN")).numberOfResults).toBe(0);
    const sorted = [...live()].sort((x, y) => x.createdAt - y.createdAt);
    const from = new Date(sorted[100]!.createdAt).toISOString();
    const to = new Date(sorted[149]!.createdAt).toISOString();
    const windowed = await search(`createdAfter=${from}&createdBefore=${to}`);
    expect(windowed.numberOfResults).toBe(
      live().filter((l) => l.createdAt >= Date.parse(from) && l.createdAt <= Date.parse(to)).length,
    );
    const updated = await search(`lastUpdatedAfter=${new Date(sorted[0]!.updatedAt).toISOString()}`);
    expect(updated.numberOfResults).toBe(live().filter((l) => l.updatedAt >= sorted[0]!.updatedAt).length);
  });

  it("sells in several stores, each with its own prices and currency, B2B offers and sale prices", async () => {
    const inCa = live().filter((l) => l.elsewhere[CA]);
    const inMx = live().filter((l) => l.elsewhere[MX]);
    expect(inCa.length).toBeGreaterThan(live().length * 0.3);
    expect(inMx.length).toBeGreaterThan(0);
    expect(inMx.length).toBeLessThan(inCa.length);
    const url = `${items()}?marketplaceIds=${CA}&pageSize=20&includedData=summaries,offers,attributes`;
    const res = await call("amazon", "GET", url);
    expect(models.response("amazon", "GET", url, 200, res.body).errors).toEqual([]);
    const page = res.body as { numberOfResults: number; items: Array<Record<string, unknown>> };
    expect(page.numberOfResults).toBe(inCa.length);
    for (const item of page.items) {
      const truth = sandbox.control.amazonListing(String(item.sku))!;
      const offers = item.offers as Array<{
        marketplaceId: string;
        offerType: string;
        price: { currencyCode: string; amount: string };
      }>;
      for (const offer of offers)
        expect(offer).toMatchObject({ marketplaceId: CA, price: { currencyCode: "CAD" } });
      const b2c = offers.find((o) => o.offerType === "B2C");
      if (b2c) expect(b2c.price.amount).toBe(truth.elsewhere[CA]!.price);
    }
    expect(live().some((l) => l.businessPrice)).toBe(true);
    expect(live().some((l) => l.sale)).toBe(true);
    const withBoth = live().find((l) => l.businessPrice && l.status === "ACTIVE")!;
    const one = await call(
      "amazon",
      "GET",
      `${items()}/${encodeURIComponent(withBoth.sku)}?marketplaceIds=${US}&includedData=offers,attributes`,
    );
    const body = one.body as {
      offers: Array<{ offerType: string }>;
      attributes: { purchasable_offer: Array<{ audience: string }> };
    };
    expect(body.offers.map((o) => o.offerType).sort()).toEqual(["B2B", "B2C"]);
    expect(body.attributes.purchasable_offer.map((o) => o.audience).sort()).toEqual(["ALL", "B2B"]);
    const types = new Set(live().map((l) => l.productType));
    expect(types.size).toBeGreaterThan(3);
    expect(types.has("PRODUCT")).toBe(false);
  });

  it("reports FBA quantities with Amazon's full breakdown", async () => {
    const fba = live().filter((l) => l.channel === "FBA");
    const withEverything = (key: keyof AmazonListing["fba"]) => fba.some((l) => l.fba[key] > 0);
    for (const key of [
      "inboundWorking",
      "inboundShipped",
      "inboundReceiving",
      "reservedCustomerOrders",
      "reservedFcTransfers",
      "reservedFcProcessing",
      "researching",
      "unfulfillable",
    ] as const)
      expect(withEverything(key), key).toBe(true);
    const listing = fba.find((l) => l.fba.researching > 0 && l.fba.reservedFcTransfers > 0) ?? fba[0]!;
    const url = `/fba/inventory/v1/summaries?details=true&granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}&sellerSku=${encodeURIComponent(listing.sku)}`;
    const res = await call("amazon", "GET", url);
    expect(models.response("amazon", "GET", url, 200, res.body).errors).toEqual([]);
    const summary = (res.body as { payload: { inventorySummaries: Array<Record<string, unknown>> } }).payload
      .inventorySummaries[0]!;
    expect(summary.inventoryDetails).toMatchObject({
      fulfillableQuantity: listing.quantity,
      inboundWorkingQuantity: listing.fba.inboundWorking,
      inboundShippedQuantity: listing.fba.inboundShipped,
      inboundReceivingQuantity: listing.fba.inboundReceiving,
      reservedQuantity: {
        pendingCustomerOrderQuantity: listing.fba.reservedCustomerOrders,
        pendingTransshipmentQuantity: listing.fba.reservedFcTransfers,
        fcProcessingQuantity: listing.fba.reservedFcProcessing,
      },
      researchingQuantity: { totalResearchingQuantity: listing.fba.researching },
      unfulfillableQuantity: { totalUnfulfillableQuantity: listing.fba.unfulfillable },
    });
  });

  it("getInventorySummaries ignores sellerSkus when startDateTime is given, and sellerSku when sellerSkus is", async () => {
    const fba = live().filter((l) => l.channel === "FBA");
    const since = new Date(Date.now() - 1000).toISOString();
    sandbox.control.simulateSale("amazon", fba[3]!.sku, 1);
    const base = `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}`;
    const skusOf = async (query: string) => {
      const res = await call("amazon", "GET", `${base}&${query}`);
      expect(res.status, query).toBe(200);
      return (
        res.body as { payload: { inventorySummaries: Array<{ sellerSku: string }> } }
      ).payload.inventorySummaries.map((s) => s.sellerSku);
    };
    expect(await skusOf(`startDateTime=${since}&sellerSkus=${encodeURIComponent(fba[0]!.sku)}`)).toEqual([
      fba[3]!.sku,
    ]);
    expect(
      await skusOf(
        `sellerSkus=${encodeURIComponent(fba[0]!.sku)}&sellerSku=${encodeURIComponent(fba[1]!.sku)}`,
      ),
    ).toEqual([fba[0]!.sku]);
  });

  it("accepts a patch for a SKU the seller has not listed and creates a partial, unbuyable listing, as Amazon does", async () => {
    sandbox.control.drainNotifications();
    const url = `${items()}/NEVER-LISTED-1?marketplaceIds=${US}`;
    const res = await call("amazon", "PATCH", url, {
      productType: "PRODUCT",
      patches: [
        {
          op: "replace",
          path: "/attributes/fulfillment_availability",
          value: [{ fulfillment_channel_code: "DEFAULT", quantity: 4 }],
        },
      ],
    });
    expect(res).toMatchObject({ status: 200, body: { status: "ACCEPTED" } });
    expect(models.response("amazon", "PATCH", url, 200, res.body).errors).toEqual([]);
    const partial = sandbox.control.amazonListing("NEVER-LISTED-1")!;
    expect(partial).toMatchObject({ partial: true, quantity: 4 });
    expect(partial.asin).toBeUndefined();
    const found = await search(
      "identifiers=NEVER-LISTED-1&identifiersType=SKU&includedData=summaries,issues,offers",
    );
    expect(found.items[0]).toMatchObject({ summaries: [{ status: [] }], offers: [] });
    expect((found.items[0]!.issues as Array<{ severity: string }>).every((i) => i.severity === "ERROR")).toBe(
      true,
    );
    expect(sandbox.control.drainNotifications()).toContainEqual(
      expect.objectContaining({
        NotificationType: "LISTINGS_ITEM_ISSUES_CHANGE",
        Payload: expect.objectContaining({ Sku: "NEVER-LISTED-1", Severities: ["ERROR"] }),
      }),
    );
  });

  it("creates a partial listing for a feed message of an unlisted SKU too", async () => {
    const doc = await call("amazon", "POST", "/feeds/2021-06-30/documents", {
      contentType: "application/json",
    });
    const { feedDocumentId, url } = doc.body as { feedDocumentId: string; url: string };
    const feed = {
      header: { sellerId: seller(), version: "2.0" },
      messages: [
        {
          messageId: 1,
          sku: "NEVER-LISTED-2",
          operationType: "PATCH",
          productType: "PRODUCT",
          patches: [
            {
              op: "replace",
              path: "/attributes/fulfillment_availability",
              value: [{ fulfillment_channel_code: "DEFAULT", quantity: 2 }],
            },
          ],
        },
      ],
    };
    await fetch(url, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(feed),
    });
    const created = await call("amazon", "POST", "/feeds/2021-06-30/feeds", {
      feedType: "JSON_LISTINGS_FEED",
      marketplaceIds: [US],
      inputFeedDocumentId: feedDocumentId,
    });
    expect(created.status).toBe(202);
    const { feedId } = created.body as { feedId: string };
    for (let i = 0; i < 200 && sandbox.control.amazonListing("NEVER-LISTED-2") === undefined; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(sandbox.control.amazonListing("NEVER-LISTED-2")).toMatchObject({ partial: true, quantity: 2 });
    const listed = await call(
      "amazon",
      "GET",
      "/feeds/2021-06-30/feeds?feedTypes=JSON_LISTINGS_FEED&processingStatuses=DONE&pageSize=1",
    );
    expect(models.response("amazon", "GET", "/feeds/2021-06-30/feeds", 200, listed.body).errors).toEqual([]);
    expect((listed.body as { feeds: Array<{ feedId: string }> }).feeds.map((f) => f.feedId)).toEqual([
      feedId,
    ]);
    expect((await call("amazon", "GET", "/feeds/2021-06-30/feeds?feedTypes=POST_PRODUCT_DATA")).body).toEqual(
      { feeds: [] },
    );
  });

  it("a price replace erases the B2B and sale prices it leaves out, a merge keeps them, and a price far off raises an issue", async () => {
    const listing = live().find(
      (l) => l.businessPrice && l.sale && l.channel === "FBM" && l.status === "ACTIVE",
    )!;
    const { businessPrice, sale, price } = listing;
    const url = `${items()}/${encodeURIComponent(listing.sku)}?marketplaceIds=${US}`;
    const ourPrice = (value: number) => [{ schedule: [{ value_with_tax: value }] }];
    sandbox.control.drainNotifications();
    const merged = await call("amazon", "PATCH", url, {
      productType: listing.productType,
      patches: [
        {
          op: "merge",
          path: "/attributes/purchasable_offer",
          value: [{ marketplace_id: US, audience: "ALL", our_price: ourPrice(Number(price) * 3) }],
        },
      ],
    });
    expect(merged.body).toMatchObject({ status: "ACCEPTED" });
    expect(sandbox.control.amazonListing(listing.sku)).toMatchObject({ businessPrice, sale });
    expect(listing.issues.map((i) => i.code)).toContain(PRICE_ALERT_CODE);
    const back = await call("amazon", "PATCH", url, {
      productType: listing.productType,
      patches: [
        {
          op: "merge",
          path: "/attributes/purchasable_offer",
          value: [{ audience: "ALL", our_price: ourPrice(Number(price)) }],
        },
      ],
    });
    expect(back.body).toMatchObject({ status: "ACCEPTED" });
    expect(listing.issues.map((i) => i.code)).not.toContain(PRICE_ALERT_CODE);
    const changes = sandbox.control
      .drainNotifications()
      .filter((n) => n.NotificationType === "LISTINGS_ITEM_ISSUES_CHANGE");
    expect(changes).toHaveLength(2);
    const replaced = await call("amazon", "PATCH", url, {
      productType: listing.productType,
      patches: [
        {
          op: "replace",
          path: "/attributes/purchasable_offer",
          value: [{ marketplace_id: US, our_price: ourPrice(Number(price)) }],
        },
      ],
    });
    expect(replaced.body).toMatchObject({ status: "ACCEPTED" });
    expect(listing.businessPrice).toBeUndefined();
    expect(listing.sale).toBeUndefined();
    const wrongType = await call("amazon", "PATCH", url, {
      productType: "NOT_ITS_TYPE",
      patches: [{ op: "merge", path: "/attributes/purchasable_offer", value: [{ our_price: ourPrice(1) }] }],
    });
    expect(wrongType.body).toMatchObject({
      status: "INVALID",
      issues: [{ code: "4000003", severity: "ERROR" }],
    });
  });
});

describe("Medusa refusals", () => {
  it("refuses unknown query parameters where Medusa's validator is strict, and allows them where it is not", async () => {
    const refused = await expectMedusaRefusal("GET", "/admin/inventory-items?limit=5&foo=1");
    expect(refused).toEqual({ type: "invalid_data", message: expect.stringContaining("'foo'") });
    expect(models.request("medusa", "GET", "/admin/inventory-items?limit=5&foo=1").valid).toBe(false);
    expect((await call("medusa", "GET", "/admin/product-variants?limit=5&foo=1")).status).toBe(200);
    expect((await call("medusa", "GET", "/admin/stock-locations?limit=5&foo=1")).status).toBe(200);
  });

  it("refuses bad limits and offsets, bad bodies and unparsable JSON with Medusa's { type, message }", async () => {
    for (const url of [
      "/admin/inventory-items?limit=many",
      "/admin/product-variants?offset=first",
      "/admin/stock-locations?limit=-1",
    ])
      await expectMedusaRefusal("GET", url);
    await expectMedusaRefusal("POST", "/admin/inventory-items/location-levels/batch", {
      create: [],
      update: [{ inventory_item_id: "x", location_id: "y", stocked_quantity: "ten" }],
      delete: [],
    });
    const broken = await call(
      "medusa",
      "POST",
      "/admin/inventory-items/location-levels/batch",
      '{"update": [',
    );
    expect(broken).toEqual({ status: 400, body: { type: "invalid_data", message: expect.any(String) } });
    const text = await call("medusa", "POST", "/admin/inventory-items/location-levels/batch", "update", {
      "content-type": "text/plain",
    });
    expect(text).toEqual({ status: 400, body: { type: "invalid_data", message: expect.any(String) } });
    const missing = await expectMedusaRefusal(
      "POST",
      "/admin/products/prod_missing",
      { status: "draft" },
      404,
    );
    expect(missing.type).toBe("not_found");
  });

  it("matches the Authorization scheme in any case and answers a missing or wrong key 401 with Medusa's body", async () => {
    const key = sandbox.credentials.medusa.apiKey;
    for (const header of [
      `basic ${key}`,
      `BASIC ${key}`,
      `Basic ${Buffer.from(`${key}:`).toString("base64")}`,
    ])
      expect(
        (await call("medusa", "GET", "/admin/stock-locations", undefined, { authorization: header })).status,
        header,
      ).toBe(200);
    for (const header of [`Bearer ${key}`, "Basic sk_wrong", ""]) {
      const res = await call("medusa", "GET", "/admin/stock-locations", undefined, { authorization: header });
      expect(res, header).toEqual({ status: 401, body: { message: "Unauthorized" } });
    }
  });
});

describe("Medusa behaviour", () => {
  it("pages by the routes' own default limits and selects fields", async () => {
    const inventory = (await call("medusa", "GET", "/admin/inventory-items")).body as {
      limit: number;
      inventory_items: unknown[];
    };
    expect(inventory.limit).toBe(20);
    expect(inventory.inventory_items).toHaveLength(20);
    expect(((await call("medusa", "GET", "/admin/product-variants")).body as { limit: number }).limit).toBe(
      50,
    );
    expect(((await call("medusa", "GET", "/admin/stock-locations")).body as { limit: number }).limit).toBe(
      20,
    );
    const big = (await call("medusa", "GET", "/admin/product-variants?limit=1200")).body as {
      variants: unknown[];
    };
    expect(big.variants.length).toBeGreaterThan(1000);
    const picked = (await call("medusa", "GET", "/admin/inventory-items?limit=2&fields=sku")).body as {
      inventory_items: Array<Record<string, unknown>>;
    };
    expect(Object.keys(picked.inventory_items[0]!).sort()).toEqual(["id", "sku"]);
    const levels = (await call("medusa", "GET", "/admin/inventory-items?limit=2&fields=sku,*location_levels"))
      .body as {
      inventory_items: Array<{ location_levels: Array<Record<string, unknown>> }>;
    };
    expect(levels.inventory_items[0]!.location_levels[0]).toHaveProperty("stocked_quantity");
    const trimmed = (
      await call("medusa", "GET", `/admin/product-variants?limit=1&fields=${encodeURIComponent("-prices")}`)
    ).body as {
      variants: Array<Record<string, unknown>>;
    };
    expect(trimmed.variants[0]).toHaveProperty("sku");
    expect(trimmed.variants[0]).not.toHaveProperty("prices");
    const url = "/admin/product-variants?limit=3";
    const full = await call("medusa", "GET", url);
    expect(models.response("medusa", "GET", url, 200, full.body).errors).toEqual([]);
  });

  it("filters inventory items by SKU and location, and variants by id and search term", async () => {
    const entries = [...sandbox.state.medusa.values()].filter((e) => !e.deleted);
    const two = entries.slice(0, 2);
    const bySku = (
      await call(
        "medusa",
        "GET",
        `/admin/inventory-items?${two.map((e) => `sku=${encodeURIComponent(e.sku)}`).join("&")}`,
      )
    ).body as { inventory_items: Array<{ sku: string }> };
    expect(bySku.inventory_items.map((i) => i.sku).sort()).toEqual(two.map((e) => e.sku).sort());
    const overflow = sandbox.state.locations[1]!.id;
    const atOverflow = (
      await call(
        "medusa",
        "GET",
        `/admin/inventory-items?limit=2000&location_levels[location_id]=${overflow}`,
      )
    ).body as { count: number };
    expect(atOverflow.count).toBe(
      entries.filter((e) => e.levels.some((l) => l.locationId === overflow)).length,
    );
    expect(atOverflow.count).toBeLessThan(entries.length);
    const count = async (url: string) => ((await call("medusa", "GET", url)).body as { count: number }).count;
    const total = entries.length;
    expect(await count("/admin/product-variants?manage_inventory=true")).toBe(total);
    expect(await count("/admin/product-variants?manage_inventory=false")).toBe(0);
    expect(await count("/admin/product-variants?ean=4006381333931")).toBe(0);
    const middle = [...entries].sort((a, b) => a.createdAt - b.createdAt)[Math.floor(total / 2)]!;
    const cut = encodeURIComponent(new Date(middle.createdAt).toISOString());
    const before = await count(`/admin/product-variants?created_at[$lt]=${cut}`);
    expect(before).toBe(entries.filter((e) => e.createdAt < middle.createdAt).length);
    expect(before + (await count(`/admin/product-variants?created_at[$gte]=${cut}`))).toBe(total);
    expect(await count("/admin/inventory-items?requires_shipping=true")).toBe(total);
    expect(await count("/admin/inventory-items?requires_shipping=false")).toBe(0);
    expect(await count("/admin/inventory-items?origin_country=us")).toBe(0);
    expect(await count(`/admin/inventory-items?q=${encodeURIComponent(two[0]!.sku)}`)).toBe(1);
    expect(await count("/admin/stock-locations?name=Main%20warehouse")).toBe(1);
    expect(await count("/admin/stock-locations?q=overflow")).toBe(1);
    const byId = (await call("medusa", "GET", `/admin/product-variants?id=${two[1]!.variantId}`)).body as {
      variants: Array<{ sku: string }>;
    };
    expect(byId.variants.map((v) => v.sku)).toEqual([two[1]!.sku]);
  });

  it("the level batch route creates and deletes levels as well as updating them, all or nothing", async () => {
    const overflow = sandbox.state.locations[1]!.id;
    const entry = [...sandbox.state.medusa.values()].find((e) => !e.deleted && e.levels.length === 1)!;
    const batch = "/admin/inventory-items/location-levels/batch";
    const created = await call("medusa", "POST", batch, {
      create: [{ inventory_item_id: entry.inventoryItemId, location_id: overflow, stocked_quantity: 3 }],
      update: [],
      delete: [],
    });
    expect(created.status).toBe(200);
    expect(models.response("medusa", "POST", batch, 200, created.body).errors).toEqual([]);
    const level = (created.body as { created: Array<{ id: string; stocked_quantity: number }> }).created[0]!;
    expect(level.stocked_quantity).toBe(3);
    expect(entry.levels).toHaveLength(2);
    await expectMedusaRefusal("POST", batch, {
      create: [{ inventory_item_id: entry.inventoryItemId, location_id: overflow }],
      update: [],
      delete: [],
    });
    const refused = await expectMedusaRefusal("POST", batch, { create: [], update: [], delete: [level.id] });
    expect(refused.type).toBe("not_allowed");
    const deleted = await call("medusa", "POST", batch, {
      create: [],
      update: [],
      delete: [level.id],
      force: true,
    });
    expect(deleted).toEqual({ status: 200, body: { created: [], updated: [], deleted: [level.id] } });
    expect(entry.levels).toHaveLength(1);
  });
});

describe("the sandbox's own answers", () => {
  it("every response and notification it sent in these tests matches the models, the refusals included", async () => {
    const fbm = live().find((l) => l.channel === "FBM" && l.status === "ACTIVE" && l.quantity > 0)!;
    const fba = live().find((l) => l.channel === "FBA" && l.quantity > 1)!;
    sandbox.control.drainNotifications();
    sandbox.control.simulateSale("amazon", fbm.sku, 1);
    sandbox.control.simulateSale("amazon", fba.sku, 1);
    expect(
      sandbox.control
        .drainNotifications()
        .map((n) => n.NotificationType)
        .sort(),
    ).toEqual(["FBA_INVENTORY_AVAILABILITY_CHANGES", "LISTINGS_ITEM_MFN_QUANTITY_CHANGE"]);
    const deleted = await call(
      "amazon",
      "DELETE",
      `${items()}/${encodeURIComponent(fbm.sku)}?marketplaceIds=${US}`,
    );
    expect(deleted.body).toMatchObject({ status: "ACCEPTED" });
    expect(sandbox.control.drainNotifications()).toContainEqual(
      expect.objectContaining({ Payload: expect.objectContaining({ Sku: fbm.sku, Status: ["DELETED"] }) }),
    );
    // The refused requests are recorded as request violations; nothing the sandbox answered or sent is.
    expect(sandbox.control.violations().filter((v) => v.direction !== "request")).toEqual([]);
    expect(sandbox.control.violations().some((v) => v.direction === "request")).toBe(true);
  });
});
