import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { amazonFor, sandboxAccessToken } from "../../test/connectors/sandbox-fixture";
import { type RunningSandbox, startSandbox } from "./sandbox.server";
import { SandboxState } from "./sandbox.state";
import { loadDemoSeed } from "./seed.adapter";

describe("sandbox state", () => {
  it("drifts from the demo catalog the same way for the same seed, and differently for another", async () => {
    const items = await loadDemoSeed(5, 2000);
    const a = new SandboxState(items, 5, 0.05);
    const b = new SandboxState(items, 5, 0.05);
    const c = new SandboxState(items, 6, 0.05);
    expect([...a.drifted.amazon]).toEqual([...b.drifted.amazon]);
    expect(a.drifted.amazon.size).toBeGreaterThan(40);
    expect([...a.drifted.amazon]).not.toEqual([...c.drifted.amazon]);
    const sku = [...a.drifted.amazon][0]!;
    expect(a.amazon.get(sku)).toEqual(b.amazon.get(sku));
  });
});

describe("sandbox HTTP", () => {
  let sandbox: RunningSandbox;
  let token: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 3, skus: 1500, speedUp: 1 });
    token = await sandboxAccessToken(sandbox);
  });
  afterAll(() => sandbox?.close());

  const search = (query: string) =>
    fetch(
      `${sandbox.amazonBaseUrl}/listings/2021-08-01/items/${sandbox.credentials.amazon.sellerId}?marketplaceIds=${sandbox.credentials.amazon.marketplaceId}&${query}`,
      { headers: { "x-amz-access-token": token } },
    );

  it("enforces the documented burst of searchListingsItems with 429 and reports the applied rate", async () => {
    expect((await search("pageSize=1")).headers.get("x-amzn-ratelimit-limit")).toBe("5");
    // A slowed clock (a token every 200 s) so that the burst alone decides, however slow the machine is.
    const slow = await startSandbox({ port: 0, seed: 3, skus: 30, speedUp: 0.001 });
    try {
      const slowToken = await sandboxAccessToken(slow);
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          fetch(
            `${slow.amazonBaseUrl}/listings/2021-08-01/items/${slow.credentials.amazon.sellerId}?marketplaceIds=${slow.credentials.amazon.marketplaceId}&pageSize=1`,
            { headers: { "x-amz-access-token": slowToken } },
          ),
        ),
      );
      const codes = responses.map((r) => r.status).sort();
      expect(codes.filter((c) => c === 200)).toHaveLength(5);
      expect(codes.filter((c) => c === 429)).toHaveLength(3);
      expect(responses.find((r) => r.status === 200)?.headers.get("x-amzn-ratelimit-limit")).toBe("0.005");
    } finally {
      await slow.close();
    }
  });

  it("stops paging at 1000 results like SP-API", async () => {
    const first = (await (await search("pageSize=20&sortBy=sku&sortOrder=ASC")).json()) as {
      numberOfResults: number;
      pagination?: { nextToken?: string };
    };
    expect(first.numberOfResults).toBeGreaterThan(1000);
    const token49 = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(first.pagination!.nextToken!, "base64url").toString()),
        o: 980,
      }),
    ).toString("base64url");
    const last = (await (
      await search(`pageSize=20&sortBy=sku&sortOrder=ASC&pageToken=${token49}`)
    ).json()) as { items: unknown[]; pagination?: { nextToken?: string } };
    expect(last.items).toHaveLength(20);
    expect(last.pagination?.nextToken).toBeUndefined();
  });

  it("rejects expired and missing tokens with SP-API's 403 error list and Medusa calls without a secret key with 401", async () => {
    sandbox.control.expireTokens();
    const res = await search("pageSize=1");
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      errors: [
        expect.objectContaining({
          code: "Unauthorized",
          details: "The access token you provided has expired.",
        }),
      ],
    });
    const medusa = await fetch(`${sandbox.medusaBaseUrl}/admin/stock-locations`);
    expect(medusa.status).toBe(401);
  });

  it("changes faults at run time through the control API", async () => {
    const set = await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ serverErrorNext: 1, only: "medusa" }),
    });
    expect(await set.json()).toMatchObject({ serverErrorNext: 1 });
    const auth = { authorization: `Basic ${sandbox.credentials.medusa.apiKey}` };
    expect((await fetch(`${sandbox.medusaBaseUrl}/admin/stock-locations`, { headers: auth })).status).toBe(
      503,
    );
    expect((await fetch(`${sandbox.medusaBaseUrl}/admin/stock-locations`, { headers: auth })).status).toBe(
      200,
    );
  });
});

describe("sandbox state file", () => {
  it("brings the marketplaces back as they were left after a restart, and starts anew for another seed", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "sandbox-state-"));
    const stateFile = path.join(dir, "state.json");
    const options = { port: 0, seed: 9, skus: 120, speedUp: 1000, listingWriteDelayMs: 0, stateFile };
    try {
      const first = await startSandbox(options);
      const fbm = [...first.state.amazon.values()].find((l) => l.channel === "FBM" && l.quantity > 2)!;
      const entry = [...first.state.medusa.values()].find((e) => e.levels[0]!.stocked > 2)!;
      const connector = amazonFor(first);
      expect(await connector.applyUpdate({ sku: fbm.sku, price: "31.17" })).toMatchObject({
        status: "applied",
      });
      await connector.close();
      first.control.simulateSale("amazon", fbm.sku, 1);
      first.control.simulateSale("medusa", entry.sku, 2);
      const after = { quantity: fbm.quantity, stocked: entry.levels[0]!.stocked };
      await first.close();

      const second = await startSandbox(options);
      expect(second.control.amazonListing(fbm.sku)).toMatchObject({
        price: "31.17",
        quantity: after.quantity,
      });
      expect(second.control.medusaEntry(entry.sku)!.levels[0]!.stocked).toBe(after.stocked);
      await second.close();

      const other = await startSandbox({ ...options, seed: 10 });
      expect(other.control.amazonListing(fbm.sku)?.price).not.toBe("31.17");
      await other.close();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
