import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SandboxRuntime } from "../sandbox.runtime";
import type { AmazonListing } from "../sandbox.state";
import { ALL_INCLUDED_DATA, renderInventorySummary, renderItem } from "./amazon.render";
import { processFeed } from "./feeds.processor";
import { type ChangeEffects, type ListingIssue, type PatchOp, planPatches } from "./listing-mutations";
import { fbaAvailabilityChange, mfnQuantityChange, statusChange } from "./notifications";

type Query = Record<string, string | string[] | undefined>;

const LISTINGS = "/listings/2021-08-01/items";
const MAX_SEARCH_RESULTS = 1000;
const FBA_PAGE_SIZE = 50;

function csv(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(","));
  return parts.map((p) => p.trim()).filter(Boolean);
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Sends an SP-API error list. */
export function amazonError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details?: string,
): FastifyReply {
  return reply.code(status).send({ errors: [{ code, message, ...(details ? { details } : {}) }] });
}

function encodeToken(payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(payload)).toString("base64url");
}

function decodeToken(token: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function toSubmissionIssues(issues: ListingIssue[]): unknown[] {
  return issues.map((i) => ({
    code: i.code,
    message: i.message,
    severity: i.severity,
    attributeNames: i.attributeName ? [i.attributeName] : [],
    categories: [],
  }));
}

/** Applies an accepted change after the platform's processing delay and emits what Amazon would emit. */
export function scheduleApply(
  rt: SandboxRuntime,
  listing: AmazonListing,
  apply: () => ChangeEffects,
  delayMs: number,
): void {
  const run = () => {
    const effects = apply();
    rt.state.touch();
    emitEffects(rt, listing, effects);
  };
  if (delayMs <= 0) run();
  else rt.later(delayMs, run);
}

export function emitEffects(rt: SandboxRuntime, listing: AmazonListing, effects: ChangeEffects): void {
  for (const field of effects.fields ?? []) rt.state.countWrite("amazon", listing.sku, field);
  const { sellerId, marketplaceId } = rt.config;
  const now = rt.now();
  if (effects.quantityChanged) {
    rt.emit(
      listing.channel === "FBM"
        ? mfnQuantityChange(sellerId, listing, now)
        : fbaAvailabilityChange(sellerId, marketplaceId, listing, now),
    );
  }
  if (effects.statusChanged) rt.emit(statusChange(sellerId, marketplaceId, listing, now));
}

/** The SP-API subset the connector uses: LWA, Listings Items, FBA Inventory, Feeds and presigned documents. */
export function registerAmazonRoutes(app: FastifyInstance, rt: SandboxRuntime): void {
  const cfg = rt.config;
  const searchCache = new Map<string, { version: unknown; list: AmazonListing[] }>();

  app.post("/auth/o2/token", { config: { api: "lwa", operation: "lwaToken" } }, async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    if (form.grant_type !== "refresh_token" && form.grant_type !== "client_credentials") {
      return reply.code(400).send({
        error: "unsupported_grant_type",
        error_description: "The authorization grant type is not supported.",
      });
    }
    if (form.client_id !== cfg.lwaClientId || form.client_secret !== cfg.lwaClientSecret) {
      return reply
        .code(401)
        .send({ error: "invalid_client", error_description: "Client authentication failed" });
    }
    if (form.grant_type === "refresh_token" && form.refresh_token !== cfg.refreshToken) {
      return reply.code(400).send({
        error: "invalid_grant",
        error_description: "The request has an invalid grant parameter : refresh_token",
      });
    }
    const { token, expiresIn } = rt.issueToken();
    return reply.send({
      access_token: token,
      ...(form.grant_type === "refresh_token" ? { refresh_token: cfg.refreshToken } : { scope: form.scope }),
      token_type: "bearer",
      expires_in: expiresIn,
    });
  });

  const checkSeller = (
    request: FastifyRequest,
    reply: FastifyReply,
    marketplaceIds: string[] | undefined,
  ): boolean => {
    const { sellerId } = request.params as { sellerId: string };
    if (sellerId !== cfg.sellerId) {
      amazonError(
        reply,
        403,
        "Unauthorized",
        "Access to requested resource is denied.",
        "The seller in the request is not the seller of the access token.",
      );
      return false;
    }
    if (!marketplaceIds?.length || !marketplaceIds.includes(cfg.marketplaceId)) {
      amazonError(reply, 400, "InvalidInput", `marketplaceIds must contain ${cfg.marketplaceId}`);
      return false;
    }
    return true;
  };

  app.get(
    `${LISTINGS}/:sellerId`,
    { config: { api: "amazon", operation: "searchListingsItems" } },
    async (request, reply) => {
      const q = request.query as Query;
      if (!checkSeller(request, reply, csv(q.marketplaceIds))) return reply;
      const includedData = csv(q.includedData) ?? ["summaries"];
      const pageSize = Number(one(q.pageSize) ?? 10);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 20)
        return amazonError(reply, 400, "InvalidInput", "pageSize must be between 1 and 20");
      const sortBy = (one(q.sortBy) ?? "lastUpdatedDate") as "sku" | "createdDate" | "lastUpdatedDate";
      const sortOrder = (one(q.sortOrder) ?? "DESC") as "ASC" | "DESC";
      if (
        !["sku", "createdDate", "lastUpdatedDate"].includes(sortBy) ||
        !["ASC", "DESC"].includes(sortOrder)
      ) {
        return amazonError(reply, 400, "InvalidInput", "Invalid sortBy or sortOrder");
      }
      const identifiers = csv(q.identifiers);
      const identifiersType = one(q.identifiersType);
      if (identifiers && (!identifiersType || identifiers.length > 20)) {
        return amazonError(
          reply,
          400,
          "InvalidInput",
          "identifiers needs identifiersType and at most 20 values",
        );
      }
      const dates: Record<string, number | undefined> = {};
      for (const name of ["createdAfter", "createdBefore", "lastUpdatedAfter", "lastUpdatedBefore"]) {
        const v = one(q[name]);
        if (v === undefined) continue;
        const t = Date.parse(v);
        if (Number.isNaN(t))
          return amazonError(reply, 400, "InvalidInput", `${name} must be an ISO 8601 date-time`);
        dates[name] = t;
      }
      const withStatus = csv(q.withStatus);
      const withoutStatus = csv(q.withoutStatus);
      const key = JSON.stringify([
        sortBy,
        sortOrder,
        identifiers,
        identifiersType,
        dates,
        withStatus,
        withoutStatus,
      ]);
      let list = searchCache.get(key);
      const version = rt.state.amazonSorted(sortBy, sortOrder);
      if (!list || list.version !== version) {
        let items = version;
        const idSet = identifiers ? new Set(identifiers) : undefined;
        const { createdAfter, createdBefore, lastUpdatedAfter, lastUpdatedBefore } = dates;
        items = items.filter((l) => {
          if (idSet) {
            const id =
              identifiersType === "SKU"
                ? l.sku
                : identifiersType === "ASIN"
                  ? l.asin
                  : identifiersType === "FNSKU"
                    ? l.fnSku
                    : undefined;
            if (!id || !idSet.has(id)) return false;
          }
          if (createdAfter !== undefined && l.createdAt < createdAfter) return false;
          if (createdBefore !== undefined && l.createdAt > createdBefore) return false;
          if (lastUpdatedAfter !== undefined && l.updatedAt < lastUpdatedAfter) return false;
          if (lastUpdatedBefore !== undefined && l.updatedAt > lastUpdatedBefore) return false;
          if (withStatus || withoutStatus) {
            const status =
              l.status === "ACTIVE"
                ? ["BUYABLE", "DISCOVERABLE"]
                : l.status === "INACTIVE"
                  ? ["DISCOVERABLE"]
                  : [];
            if (withStatus && !withStatus.every((s) => status.includes(s))) return false;
            if (withoutStatus?.some((s) => status.includes(s))) return false;
          }
          return true;
        });
        list = { version, list: items };
        searchCache.set(key, list);
        if (searchCache.size > 64) searchCache.delete(searchCache.keys().next().value as string);
      }
      let offset = 0;
      const pageToken = one(q.pageToken);
      if (pageToken) {
        const decoded = decodeToken(pageToken);
        if (!decoded || decoded.k !== key || typeof decoded.o !== "number") {
          return amazonError(
            reply,
            400,
            "InvalidInput",
            "The pageToken is invalid or does not match the search criteria.",
          );
        }
        offset = decoded.o;
      }
      const cap = Math.min(list.list.length, MAX_SEARCH_RESULTS);
      const page = list.list.slice(offset, Math.min(offset + pageSize, cap));
      const next = offset + pageSize < cap ? encodeToken({ k: key, o: offset + pageSize }) : undefined;
      const previous = offset > 0 ? encodeToken({ k: key, o: Math.max(0, offset - pageSize) }) : undefined;
      const pagination =
        next || previous
          ? { ...(next ? { nextToken: next } : {}), ...(previous ? { previousToken: previous } : {}) }
          : undefined;
      return reply.send({
        numberOfResults: list.list.length,
        ...(pagination ? { pagination } : {}),
        items: page.map((l) => renderItem(l, includedData, cfg.marketplaceId, cfg.region)),
      });
    },
  );

  app.get(
    `${LISTINGS}/:sellerId/:sku`,
    { config: { api: "amazon", operation: "getListingsItem" } },
    async (request, reply) => {
      const q = request.query as Query;
      if (!checkSeller(request, reply, csv(q.marketplaceIds))) return reply;
      const { sku } = request.params as { sku: string };
      const listing = rt.state.amazon.get(sku);
      if (!listing || listing.deleted)
        return amazonError(
          reply,
          404,
          "NOT_FOUND",
          `SKU '${sku}' not found in marketplace ${cfg.marketplaceId}`,
        );
      const includedData = csv(q.includedData) ?? ["summaries"];
      return reply.send(
        renderItem(
          listing,
          includedData.filter((d) => (ALL_INCLUDED_DATA as readonly string[]).includes(d)),
          cfg.marketplaceId,
          cfg.region,
        ),
      );
    },
  );

  const submission = (
    sku: string,
    status: "ACCEPTED" | "INVALID" | "VALID",
    issues: ListingIssue[],
    listing?: AmazonListing,
  ) => ({
    sku,
    status,
    submissionId: rt.nextId("sub-"),
    issues: toSubmissionIssues(issues),
    ...(listing ? { identifiers: [{ marketplaceId: cfg.marketplaceId, asin: listing.asin }] } : {}),
  });

  app.patch(
    `${LISTINGS}/:sellerId/:sku`,
    { config: { api: "amazon", operation: "patchListingsItem" } },
    async (request, reply) => {
      const q = request.query as Query;
      if (!checkSeller(request, reply, csv(q.marketplaceIds))) return reply;
      const { sku } = request.params as { sku: string };
      const body = request.body as { productType?: string; patches?: PatchOp[] } | undefined;
      if (!body?.productType || !Array.isArray(body.patches) || body.patches.length === 0) {
        return amazonError(
          reply,
          400,
          "InvalidInput",
          "The request body needs productType and at least one patch.",
        );
      }
      const listing = rt.state.amazon.get(sku);
      const plan = planPatches(listing, sku, body.patches, cfg.region, () => rt.now());
      if (!plan.apply) return reply.send(submission(sku, "INVALID", plan.issues));
      if (one(q.mode) === "VALIDATION_PREVIEW") return reply.send(submission(sku, "VALID", [], listing));
      scheduleApply(rt, listing!, plan.apply, rt.scaled(cfg.listingWriteDelayMs));
      return reply.send(submission(sku, "ACCEPTED", [], listing));
    },
  );

  app.put(
    `${LISTINGS}/:sellerId/:sku`,
    { config: { api: "amazon", operation: "putListingsItem" } },
    async (request, reply) => {
      const q = request.query as Query;
      if (!checkSeller(request, reply, csv(q.marketplaceIds))) return reply;
      const { sku } = request.params as { sku: string };
      const body = request.body as
        | { productType?: string; attributes?: Record<string, Array<Record<string, unknown>>> }
        | undefined;
      if (!body?.productType || !body.attributes)
        return amazonError(reply, 400, "InvalidInput", "The request body needs productType and attributes.");
      let listing = rt.state.amazon.get(sku);
      if (!listing || listing.deleted) {
        const now = rt.now();
        listing = {
          sku,
          asin: `B0${(rt.state.amazon.size + 1).toString(36).toUpperCase().padStart(8, "0")}`,
          fnSku: "",
          title: String(body.attributes.item_name?.[0]?.value ?? sku),
          productType: body.productType,
          condition: "new_new",
          price: "0.01",
          currency: cfg.region === "EU" ? "EUR" : cfg.region === "FE" ? "JPY" : "USD",
          channel: "FBM",
          quantity: 0,
          reserved: 0,
          inbound: 0,
          unfulfillable: 0,
          status: "INACTIVE",
          createdAt: now,
          updatedAt: now,
          fbaUpdatedAt: now,
          deleted: false,
        };
        rt.state.amazon.set(sku, listing);
        rt.state.amazonByCreated.push(listing);
        rt.state.touch();
      }
      const patches: PatchOp[] = Object.entries(body.attributes).map(([name, value]) => ({
        op: "replace",
        path: `/attributes/${name}`,
        value,
      }));
      const plan = planPatches(listing, sku, patches, cfg.region, () => rt.now());
      if (!plan.apply) return reply.send(submission(sku, "INVALID", plan.issues));
      if (one(q.mode) === "VALIDATION_PREVIEW") return reply.send(submission(sku, "VALID", [], listing));
      scheduleApply(rt, listing, plan.apply, rt.scaled(cfg.listingWriteDelayMs));
      return reply.send(submission(sku, "ACCEPTED", [], listing));
    },
  );

  app.delete(
    `${LISTINGS}/:sellerId/:sku`,
    { config: { api: "amazon", operation: "deleteListingsItem" } },
    async (request, reply) => {
      const q = request.query as Query;
      if (!checkSeller(request, reply, csv(q.marketplaceIds))) return reply;
      const { sku } = request.params as { sku: string };
      const listing = rt.state.amazon.get(sku);
      if (!listing || listing.deleted) {
        return reply.send(
          submission(sku, "INVALID", [
            {
              code: "4000001",
              message: `The SKU '${sku}' does not exist for this seller.`,
              severity: "ERROR",
            },
          ]),
        );
      }
      rt.later(rt.scaled(cfg.listingWriteDelayMs), () => {
        listing.deleted = true;
        listing.updatedAt = rt.now();
        rt.state.touch();
      });
      return reply.send(submission(sku, "ACCEPTED", [], listing));
    },
  );

  let fbaSorted: { version: unknown; list: AmazonListing[] } | undefined;
  app.get(
    "/fba/inventory/v1/summaries",
    { config: { api: "amazon", operation: "getInventorySummaries" } },
    async (request, reply) => {
      const q = request.query as Query;
      const marketplaceIds = csv(q.marketplaceIds);
      if (one(q.granularityType) !== "Marketplace" || !one(q.granularityId)) {
        return amazonError(
          reply,
          400,
          "InvalidInput",
          "granularityType must be Marketplace and granularityId is required",
        );
      }
      if (
        marketplaceIds?.length !== 1 ||
        marketplaceIds[0] !== cfg.marketplaceId ||
        one(q.granularityId) !== cfg.marketplaceId
      ) {
        return amazonError(
          reply,
          400,
          "InvalidInput",
          `marketplaceIds and granularityId must be ${cfg.marketplaceId}`,
        );
      }
      const details = one(q.details) === "true";
      const sellerSkus = csv(q.sellerSkus);
      if (sellerSkus && sellerSkus.length > 50)
        return amazonError(reply, 400, "InvalidInput", "sellerSkus accepts at most 50 SKUs");
      const sellerSku = one(q.sellerSku);
      const startRaw = one(q.startDateTime);
      const start = startRaw ? Date.parse(startRaw) : undefined;
      if (startRaw && Number.isNaN(start))
        return amazonError(reply, 400, "InvalidInput", "startDateTime must be an ISO 8601 date-time");
      const version = rt.state.amazonSorted("sku", "ASC");
      if (!fbaSorted || fbaSorted.version !== version)
        fbaSorted = { version, list: version.filter((l) => l.channel === "FBA") };
      let list = fbaSorted.list;
      if (sellerSkus || sellerSku) {
        const wanted = new Set(sellerSkus ?? [sellerSku!]);
        list = list.filter((l) => wanted.has(l.sku));
      }
      if (start !== undefined) list = list.filter((l) => l.fbaUpdatedAt >= start);
      const key = JSON.stringify([sellerSkus, sellerSku, startRaw, details]);
      let offset = 0;
      const nextToken = one(q.nextToken);
      if (nextToken) {
        const decoded = decodeToken(nextToken);
        if (!decoded || decoded.k !== key || typeof decoded.o !== "number")
          return amazonError(reply, 400, "InvalidInput", "Invalid nextToken");
        // Amazon's nextToken lives 30 seconds.
        if (typeof decoded.e === "number" && decoded.e < rt.now())
          return amazonError(reply, 400, "InvalidInput", "The nextToken has expired");
        offset = decoded.o;
      }
      const page = list.slice(offset, offset + FBA_PAGE_SIZE);
      const more = offset + FBA_PAGE_SIZE < list.length;
      return reply.send({
        payload: {
          granularity: { granularityType: "Marketplace", granularityId: cfg.marketplaceId },
          inventorySummaries: page.map((l) => renderInventorySummary(l, details)),
        },
        ...(more
          ? {
              pagination: {
                nextToken: encodeToken({ k: key, o: offset + FBA_PAGE_SIZE, e: rt.now() + 30_000 }),
              },
            }
          : {}),
      });
    },
  );

  app.post(
    "/feeds/2021-06-30/documents",
    { config: { api: "amazon", operation: "createFeedDocument" } },
    async (request, reply) => {
      const body = request.body as { contentType?: string } | undefined;
      if (!body?.contentType) return amazonError(reply, 400, "InvalidInput", "contentType is required");
      const id = `amzn1.tortuga.4.na.${rt.nextId("doc")}`;
      rt.documents.set(id, { id, contentType: body.contentType, compressed: false, createdAt: rt.now() });
      return reply.code(201).send({
        feedDocumentId: id,
        url: `http://${request.headers.host}/_s3/feed-documents/${encodeURIComponent(id)}?X-Amz-Expires=300&X-Amz-Signature=sandbox`,
      });
    },
  );

  app.get(
    "/feeds/2021-06-30/documents/:feedDocumentId",
    { config: { api: "amazon", operation: "getFeedDocument" } },
    async (request, reply) => {
      const { feedDocumentId } = request.params as { feedDocumentId: string };
      const doc = rt.documents.get(feedDocumentId);
      if (!doc) return amazonError(reply, 404, "NotFound", `Feed document ${feedDocumentId} not found`);
      return reply.send({
        feedDocumentId,
        url: `http://${request.headers.host}/_s3/feed-documents/${encodeURIComponent(feedDocumentId)}?X-Amz-Expires=300&X-Amz-Signature=sandbox`,
        ...(doc.compressed ? { compressionAlgorithm: "GZIP" } : {}),
      });
    },
  );

  app.post(
    "/feeds/2021-06-30/feeds",
    { config: { api: "amazon", operation: "createFeed" } },
    async (request, reply) => {
      const body = request.body as
        | { feedType?: string; marketplaceIds?: string[]; inputFeedDocumentId?: string }
        | undefined;
      if (!body?.feedType || !body.inputFeedDocumentId || !body.marketplaceIds?.length) {
        return amazonError(
          reply,
          400,
          "InvalidInput",
          "feedType, marketplaceIds and inputFeedDocumentId are required",
        );
      }
      if (!body.marketplaceIds.includes(cfg.marketplaceId))
        return amazonError(
          reply,
          400,
          "InvalidInput",
          `Unknown marketplace ${body.marketplaceIds.join(",")}`,
        );
      const doc = rt.documents.get(body.inputFeedDocumentId);
      if (!doc?.content)
        return amazonError(
          reply,
          400,
          "InvalidInput",
          "The input feed document was not found or has no content",
        );
      if (body.feedType !== "JSON_LISTINGS_FEED")
        return amazonError(
          reply,
          400,
          "InvalidInput",
          `The sandbox does not process feed type ${body.feedType}`,
        );
      const feedId = `5${rt.nextId("")}${Math.floor(rt.now() % 1000)}`;
      rt.feeds.set(feedId, {
        feedId,
        feedType: body.feedType,
        marketplaceIds: body.marketplaceIds,
        inputFeedDocumentId: body.inputFeedDocumentId,
        createdTime: rt.now(),
        processingStatus: "IN_QUEUE",
        timers: [],
      });
      processFeed(rt, feedId);
      return reply.code(202).send({ feedId });
    },
  );

  const renderFeed = (feedId: string) => {
    const f = rt.feeds.get(feedId)!;
    // Amazon's feed timestamps are whole seconds.
    const t = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();
    return {
      feedId: f.feedId,
      feedType: f.feedType,
      marketplaceIds: f.marketplaceIds,
      createdTime: t(f.createdTime),
      processingStatus: f.processingStatus,
      ...(f.processingStartTime ? { processingStartTime: t(f.processingStartTime) } : {}),
      ...(f.processingEndTime ? { processingEndTime: t(f.processingEndTime) } : {}),
      ...(f.resultFeedDocumentId ? { resultFeedDocumentId: f.resultFeedDocumentId } : {}),
    };
  };

  app.get(
    "/feeds/2021-06-30/feeds/:feedId",
    { config: { api: "amazon", operation: "getFeed" } },
    async (request, reply) => {
      const { feedId } = request.params as { feedId: string };
      if (!rt.feeds.has(feedId)) return amazonError(reply, 404, "NotFound", `Feed ${feedId} not found`);
      return reply.send(renderFeed(feedId));
    },
  );

  app.get(
    "/feeds/2021-06-30/feeds",
    { config: { api: "amazon", operation: "getFeeds" } },
    async (request, reply) => {
      const q = request.query as Query;
      const types = csv(q.feedTypes);
      const statuses = csv(q.processingStatuses);
      const feeds = [...rt.feeds.values()]
        .filter(
          (f) =>
            (!types || types.includes(f.feedType)) && (!statuses || statuses.includes(f.processingStatus)),
        )
        .sort((a, b) => b.createdTime - a.createdTime)
        .slice(0, Number(one(q.pageSize) ?? 10));
      return reply.send({ feeds: feeds.map((f) => renderFeed(f.feedId)) });
    },
  );

  app.delete(
    "/feeds/2021-06-30/feeds/:feedId",
    { config: { api: "amazon", operation: "cancelFeed" } },
    async (request, reply) => {
      const { feedId } = request.params as { feedId: string };
      const feed = rt.feeds.get(feedId);
      if (!feed) return amazonError(reply, 404, "NotFound", `Feed ${feedId} not found`);
      if (feed.processingStatus !== "IN_QUEUE")
        return amazonError(reply, 400, "InvalidInput", "Only feeds in IN_QUEUE can be cancelled");
      for (const timer of feed.timers) clearTimeout(timer);
      feed.processingStatus = "CANCELLED";
      return reply.code(200).send();
    },
  );

  // Presigned document storage (S3 in real life): no SP-API auth and no SP-API rate limits.
  app.register(async (s3) => {
    s3.removeAllContentTypeParsers();
    s3.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    s3.put(
      "/_s3/feed-documents/:id",
      { config: { api: "s3", operation: "uploadDocument" } },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const doc = rt.documents.get(id);
        if (!doc)
          return reply.code(403).type("application/xml").send("<Error><Code>AccessDenied</Code></Error>");
        doc.content = Buffer.isBuffer(request.body) ? request.body : Buffer.from(String(request.body ?? ""));
        return reply.code(200).send();
      },
    );
    s3.get(
      "/_s3/feed-documents/:id",
      { config: { api: "s3", operation: "downloadDocument" } },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const doc = rt.documents.get(id);
        if (!doc?.content)
          return reply.code(404).type("application/xml").send("<Error><Code>NoSuchKey</Code></Error>");
        return reply.type(doc.contentType).send(doc.content);
      },
    );
  });
}
