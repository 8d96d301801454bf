/** `pnpm bench:connectors`: 10,000 reads and 10,000 quantity writes per marketplace through the sandbox at real SP-API limits. */
import { AMAZON_RATE_LIMITS, AmazonConnector } from "../src/connectors/amazon/amazon.connector";
import { RateLimiterRegistry } from "../src/connectors/http/rate-limiter";
import { MedusaConnector } from "../src/connectors/medusa/medusa.connector";
import type { ListingUpdate, NormalizedListing } from "../src/connectors/port";
import { startSandbox } from "../src/sandbox/sandbox.server";

const N = Number(process.env.BENCH_N ?? 10_000);
const SKUS = Number(process.env.BENCH_SKUS ?? 30_000);

/** Seconds the token bucket (rate, burst) needs before `calls` calls have all been admitted. */
function bucketSeconds(calls: number, rate: number, burst: number): number {
  return Math.max(0, (calls - burst) / rate);
}

const fmt = (s: number) => `${s.toFixed(1)} s`;

const sandbox = await startSandbox({ port: 0, skus: SKUS, speedUp: 1 });
const c = sandbox.credentials.amazon;
const amazon = new AmazonConnector(
  {
    kind: "AMAZON",
    region: c.region,
    sellerId: c.sellerId,
    marketplaceId: c.marketplaceId,
    endpoints: { api: sandbox.amazonBaseUrl, lwa: sandbox.lwaUrl },
    credentials: { clientId: c.clientId, clientSecret: c.clientSecret, refreshToken: c.refreshToken },
  },
  { limiter: new RateLimiterRegistry(AMAZON_RATE_LIMITS) },
);
const rows: string[] = [];

// Amazon read: searchListingsItems (20 per call) is the bottleneck; FBA summaries (50 SKUs per call) run beside it.
let t0 = performance.now();
const read: NormalizedListing[] = [];
let cursor: string | null = null;
do {
  const page = await amazon.readPage(cursor, { limit: 100 });
  read.push(...page.listings);
  cursor = page.nextCursor;
} while (cursor && read.length < N);
const readSeconds = (performance.now() - t0) / 1000;
const stats = sandbox.control.stats();
const fbaCount = read.filter((l) => l.fulfillmentChannel === "FBA").length;
const searchMin = bucketSeconds(Math.ceil(N / 20), 5, 5);
const fbaMin = bucketSeconds(Math.ceil(fbaCount / 50), 2, 2);
const readMin = Math.max(searchMin, fbaMin);
rows.push(
  `| Amazon read ${read.length.toLocaleString("en-US")} listings | ${fmt(readSeconds)} | ${fmt(readMin)} (searchListingsItems 500 calls at 5/s burst 5; getInventorySummaries ${Math.ceil(fbaCount / 50)} calls at 2/s) | ${(readMin / readSeconds).toFixed(2)} | ${stats.searchListingsItems?.throttled ?? 0} |`,
);

// Amazon write: one JSON_LISTINGS_FEED; the floor is the platform's processing time, the API calls fit in their bursts.
// The seller-fulfilled listings just read: a connector writes only SKUs it has read (an unread one is read first).
const fbm = read.filter((l) => l.fulfillmentChannel === "FBM");
const updates: ListingUpdate[] = fbm.map((l, i) => ({
  sku: l.sku,
  quantity: ((l.quantity ?? 0) + 1 + i) % 500,
}));
sandbox.control.resetStats();
t0 = performance.now();
const results = await amazon.applyUpdates(updates);
const writeSeconds = (performance.now() - t0) / 1000;
const applied = results.filter((r) => r.status === "applied").length;
const timing = sandbox.config.feedTiming;
const feedMin = (timing.queuedMs + timing.baseMs + timing.perMessageMs * updates.length) / 1000;
const patchMin = bucketSeconds(updates.length, 5, 5);
rows.push(
  `| Amazon write ${updates.length.toLocaleString("en-US")} quantities (feed) | ${fmt(writeSeconds)} | ${fmt(feedMin)} (feed processing; via patchListingsItem it would be ${fmt(patchMin)}) | ${(feedMin / writeSeconds).toFixed(2)} | ${applied.toLocaleString("en-US")} applied |`,
);
await amazon.close();

// Medusa: no documented rate limits, so no floor; throughput only.
const medusa = new MedusaConnector({
  kind: "MEDUSA",
  endpoints: { api: sandbox.medusaBaseUrl },
  credentials: { apiKey: sandbox.credentials.medusa.apiKey },
});
t0 = performance.now();
const mread: NormalizedListing[] = [];
let mcursor: string | null = null;
do {
  const page = await medusa.readPage(mcursor, { limit: 500 });
  mread.push(...page.listings);
  mcursor = page.nextCursor;
} while (mcursor && mread.length < N);
const mreadSeconds = (performance.now() - t0) / 1000;
rows.push(
  `| Medusa read ${mread.length.toLocaleString("en-US")} variants | ${fmt(mreadSeconds)} | none documented | n/a | ${Math.round(mread.length / mreadSeconds)}/s |`,
);
t0 = performance.now();
const mresults = await medusa.applyUpdates(
  mread.slice(0, N).map((l, i) => ({ sku: l.sku, quantity: (i % 300) + 1, externalIds: l.externalIds })),
);
const mwriteSeconds = (performance.now() - t0) / 1000;
rows.push(
  `| Medusa write ${mresults.length.toLocaleString("en-US")} quantities (level batches of 500) | ${fmt(mwriteSeconds)} | none documented | n/a | ${mresults.filter((r) => r.status === "applied").length.toLocaleString("en-US")} applied |`,
);
await sandbox.close();

console.log(
  `\nConnectors through the sandbox at speed-up 1 (real SP-API usage plans), ${SKUS.toLocaleString("en-US")} SKUs seeded\n`,
);
console.log("| What | Measured | Minimum the limits allow | Ratio (min / measured) | Notes |");
console.log("| --- | --- | --- | --- | --- |");
for (const row of rows) console.log(row);
