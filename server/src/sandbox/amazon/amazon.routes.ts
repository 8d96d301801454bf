import type { FastifyInstance } from "fastify";
import type { SandboxRuntime } from "../sandbox.runtime";
import type { AmazonListing } from "../sandbox.state";
import { amazonError, csv, decodeToken, encodeToken, one, type Query } from "./amazon.common";
import { renderInventorySummary } from "./amazon.render";
import { processFeed } from "./feeds.processor";
import { registerListingsRoutes } from "./listings.routes";

const FBA_PAGE_SIZE = 50;
const EIGHTEEN_MONTHS_MS = 548 * 86_400_000;

/** The SP-API subset the connector uses: LWA, Listings Items, FBA Inventory, Feeds and presigned documents. */
export function registerAmazonRoutes(app: FastifyInstance, rt: SandboxRuntime): void {
  const cfg = rt.config;

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
    // The main seller's refresh token, or one of the further sellers' ("<token>:<seller id>").
    const suffix = form.refresh_token?.startsWith(`${cfg.refreshToken}:`)
      ? form.refresh_token.slice(cfg.refreshToken.length + 1)
      : undefined;
    const seller = suffix && cfg.sellers.has(suffix) ? suffix : cfg.sellerId;
    if (
      form.grant_type === "refresh_token" &&
      form.refresh_token !== cfg.refreshToken &&
      seller === cfg.sellerId
    ) {
      return reply.code(400).send({
        error: "invalid_grant",
        error_description: "The request has an invalid grant parameter : refresh_token",
      });
    }
    const { token, expiresIn } = rt.issueToken(seller);
    return reply.send({
      access_token: token,
      ...(form.grant_type === "refresh_token"
        ? { refresh_token: form.refresh_token }
        : { scope: form.scope }),
      token_type: "bearer",
      expires_in: expiresIn,
    });
  });

  registerListingsRoutes(app, rt);

  let fbaSorted: { version: unknown; list: AmazonListing[] } | undefined;
  app.get(
    "/fba/inventory/v1/summaries",
    { config: { api: "amazon", operation: "getInventorySummaries" } },
    async (request, reply) => {
      const q = request.query as Query;
      const marketplaceId = csv(q.marketplaceIds)![0]!;
      const store = rt.state.stores.find((s) => s.id === marketplaceId);
      if (!store || one(q.granularityId) !== marketplaceId) {
        return amazonError(
          reply,
          400,
          "InvalidInput",
          `marketplaceIds and granularityId must name one store of the seller (${rt.state.stores.map((s) => s.id).join(", ")}).`,
        );
      }
      const details = one(q.details) === "true";
      const startRaw = one(q.startDateTime);
      const start = startRaw ? Date.parse(startRaw) : undefined;
      if (start !== undefined && start < rt.now() - EIGHTEEN_MONTHS_MS)
        return amazonError(
          reply,
          400,
          "InvalidInput",
          "startDateTime must be no earlier than 18 months before now.",
        );
      // startDateTime wins over sellerSkus, and sellerSkus over sellerSku, as the model says.
      const sellerSkus = start === undefined ? csv(q.sellerSkus) : undefined;
      const sellerSku = start === undefined && !sellerSkus ? one(q.sellerSku) : undefined;
      const version = rt.state.amazonSorted("sku", "ASC");
      if (!fbaSorted || fbaSorted.version !== version)
        fbaSorted = { version, list: version.filter((l) => l.channel === "FBA" && !l.partial) };
      let list = fbaSorted.list.filter((l) => store.id === rt.state.home || l.elsewhere[store.id]);
      if (sellerSkus || sellerSku) {
        const wanted = new Set(sellerSkus ?? [sellerSku!]);
        list = list.filter((l) => wanted.has(l.sku));
      }
      if (start !== undefined) list = list.filter((l) => l.fbaUpdatedAt >= start);
      const key = JSON.stringify([marketplaceId, sellerSkus, sellerSku, startRaw, details]);
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
          granularity: { granularityType: "Marketplace", granularityId: marketplaceId },
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
      const body = request.body as { contentType: string };
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
      const body = request.body as {
        feedType: string;
        marketplaceIds: string[];
        inputFeedDocumentId: string;
      };
      if (body.marketplaceIds.some((m) => !rt.state.stores.some((s) => s.id === m)))
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
      let q = request.query as Query;
      const nextToken = one(q.nextToken);
      if (nextToken !== undefined) {
        // The token carries the original filters and must come alone, as the model says.
        if (Object.keys(q).length > 1)
          return amazonError(reply, 400, "InvalidInput", "nextToken must be the only parameter.");
        const decoded = decodeToken(nextToken);
        if (!decoded || typeof decoded.q !== "object" || typeof decoded.o !== "number")
          return amazonError(reply, 400, "InvalidInput", "Invalid nextToken.");
        q = decoded.q as Query;
      } else if (!q.feedTypes) {
        return amazonError(reply, 400, "InvalidInput", "Either feedTypes or nextToken is required.");
      }
      const offset = nextToken ? Number(decodeToken(nextToken)!.o) : 0;
      const types = csv(q.feedTypes);
      const statuses = csv(q.processingStatuses);
      const markets = csv(q.marketplaceIds);
      const since = one(q.createdSince) ? Date.parse(one(q.createdSince)!) : rt.now() - 90 * 86_400_000;
      const until = one(q.createdUntil) ? Date.parse(one(q.createdUntil)!) : rt.now();
      const pageSize = Number(one(q.pageSize) ?? 10);
      const feeds = [...rt.feeds.values()]
        .filter(
          (f) =>
            (!types || types.includes(f.feedType)) &&
            (!statuses || statuses.includes(f.processingStatus)) &&
            (!markets || f.marketplaceIds.some((m) => markets.includes(m))) &&
            f.createdTime >= since &&
            f.createdTime <= until,
        )
        .sort((a, b) => b.createdTime - a.createdTime);
      const page = feeds.slice(offset, offset + pageSize);
      return reply.send({
        feeds: page.map((f) => renderFeed(f.feedId)),
        ...(offset + pageSize < feeds.length
          ? { nextToken: encodeToken({ q: request.query, o: offset + pageSize }) }
          : {}),
      });
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
