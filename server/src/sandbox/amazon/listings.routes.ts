import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SandboxRuntime } from "../sandbox.runtime";
import { type AmazonListing, offerIn } from "../sandbox.state";
import { amazonError, csv, decodeToken, encodeToken, one, type Query, scheduleApply } from "./amazon.common";
import { issuesIn, type RenderContext, renderItem, summaryStatus } from "./amazon.render";
import {
  type ListingIssue,
  type MutationContext,
  type PatchOp,
  partialListing,
  planPatches,
} from "./listing-mutations";

const LISTINGS = "/listings/2021-08-01/items";
const MAX_SEARCH_RESULTS = 1000;

function toSubmissionIssues(issues: ListingIssue[]): unknown[] {
  return issues.map((i) => ({
    code: i.code,
    message: i.message,
    severity: i.severity,
    attributeNames: i.attributeName ? [i.attributeName] : [],
    categories: [],
  }));
}

/** Listings Items API 2021-08-01: search, get, put, patch and delete, in every store of the seller. */
export function registerListingsRoutes(app: FastifyInstance, rt: SandboxRuntime): void {
  const cfg = rt.config;
  const state = rt.state;
  const searchCache = new Map<string, { version: unknown; list: AmazonListing[] }>();
  const render = (marketplaceIds: string[]): RenderContext => ({
    marketplaceIds,
    home: state.home,
    region: cfg.region,
    now: rt.now(),
  });

  /** The seller of the token and stores of the account; answers the refusal and returns undefined otherwise. */
  const storesOf = (request: FastifyRequest, reply: FastifyReply): string[] | undefined => {
    const { sellerId } = request.params as { sellerId: string };
    if (sellerId !== (rt.sellerOf.get(request) ?? cfg.sellerId)) {
      amazonError(
        reply,
        403,
        "Unauthorized",
        "Access to requested resource is denied.",
        "The seller in the request is not the seller of the access token.",
      );
      return undefined;
    }
    const ids = csv((request.query as Query).marketplaceIds) ?? [];
    const unknown = ids.filter((id) => !state.stores.some((s) => s.id === id));
    if (ids.length === 0 || unknown.length > 0) {
      amazonError(
        reply,
        400,
        "InvalidInput",
        `Invalid marketplaceIds: the seller sells in ${state.stores.map((s) => s.id).join(", ")}.`,
        unknown.length ? `Unknown marketplace ${unknown.join(", ")}` : undefined,
      );
      return undefined;
    }
    return ids;
  };

  app.get(
    `${LISTINGS}/:sellerId`,
    { config: { api: "amazon", operation: "searchListingsItems" } },
    async (request, reply) => {
      const q = request.query as Query;
      const marketplaceIds = storesOf(request, reply);
      if (!marketplaceIds) return reply;
      const includedData = csv(q.includedData) ?? ["summaries"];
      const pageSize = Number(one(q.pageSize) ?? 10);
      if (pageSize < 1) return amazonError(reply, 400, "InvalidInput", "pageSize must be between 1 and 20");
      const sortBy = (one(q.sortBy) ?? "lastUpdatedDate") as "sku" | "createdDate" | "lastUpdatedDate";
      const sortOrder = (one(q.sortOrder) ?? "DESC") as "ASC" | "DESC";
      const identifiers = csv(q.identifiers);
      const identifiersType = one(q.identifiersType);
      if (!identifiers !== !identifiersType)
        return amazonError(reply, 400, "InvalidInput", "identifiers and identifiersType go together.");
      const variationParent = one(q.variationParentSku);
      const packageHierarchy = one(q.packageHierarchySku);
      if ([identifiers, variationParent, packageHierarchy].filter((x) => x !== undefined).length > 1)
        return amazonError(
          reply,
          400,
          "InvalidInput",
          "Use only one of identifiers, variationParentSku and packageHierarchySku.",
        );
      const dates: Record<string, number | undefined> = {};
      for (const name of ["createdAfter", "createdBefore", "lastUpdatedAfter", "lastUpdatedBefore"]) {
        const v = one(q[name]);
        if (v !== undefined) dates[name] = Date.parse(v);
      }
      const severities = csv(q.withIssueSeverity);
      const withStatus = csv(q.withStatus);
      const withoutStatus = csv(q.withoutStatus);
      const key = JSON.stringify([
        marketplaceIds,
        sortBy,
        sortOrder,
        identifiers,
        identifiersType,
        variationParent,
        packageHierarchy,
        dates,
        severities,
        withStatus,
        withoutStatus,
      ]);
      let list = searchCache.get(key);
      const version = state.amazonSorted(sortBy, sortOrder);
      if (!list || list.version !== version) {
        const idSet = identifiers ? new Set(identifiers) : undefined;
        const { createdAfter, createdBefore, lastUpdatedAfter, lastUpdatedBefore } = dates;
        const first = marketplaceIds[0]!;
        const items = version.filter((l) => {
          if (!marketplaceIds.some((m) => offerIn(l, m, state.home))) return false;
          // The sandbox's listings have no variation families or packages.
          if (variationParent !== undefined || packageHierarchy !== undefined) return false;
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
          if (severities && !issuesIn(l, marketplaceIds).some((i) => severities.includes(i.severity)))
            return false;
          if (withStatus || withoutStatus) {
            const status: string[] = summaryStatus(l, offerIn(l, first, state.home));
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
      const ctx = render(marketplaceIds);
      return reply.send({
        numberOfResults: list.list.length,
        ...(pagination ? { pagination } : {}),
        items: page.map((l) => renderItem(l, includedData, ctx)),
      });
    },
  );

  app.get(
    `${LISTINGS}/:sellerId/:sku`,
    { config: { api: "amazon", operation: "getListingsItem" } },
    async (request, reply) => {
      const q = request.query as Query;
      const marketplaceIds = storesOf(request, reply);
      if (!marketplaceIds) return reply;
      const { sku } = request.params as { sku: string };
      const listing = state.amazon.get(sku);
      if (!listing || listing.deleted || !marketplaceIds.some((m) => offerIn(listing, m, state.home)))
        return amazonError(
          reply,
          404,
          "NOT_FOUND",
          `SKU '${sku}' not found in marketplace ${marketplaceIds.join(",")}`,
        );
      return reply.send(renderItem(listing, csv(q.includedData) ?? ["summaries"], render(marketplaceIds)));
    },
  );

  const submission = (
    request: FastifyRequest,
    sku: string,
    status: "ACCEPTED" | "INVALID" | "VALID",
    issues: ListingIssue[],
    listing: AmazonListing | undefined,
    marketplaceId: string,
  ) => {
    const included = csv((request.query as Query).includedData) ?? ["issues"];
    return {
      sku,
      status,
      submissionId: rt.nextId("sub-"),
      ...(included.includes("issues") ? { issues: toSubmissionIssues(issues) } : {}),
      ...(included.includes("identifiers") && listing?.asin
        ? { identifiers: [{ marketplaceId, asin: listing.asin }] }
        : {}),
    };
  };

  /** Validates a submission and, unless previewed, applies it after Amazon's processing delay. */
  const submit = (
    request: FastifyRequest,
    reply: FastifyReply,
    sku: string,
    productType: string,
    patches: PatchOp[],
    marketplaceId: string,
  ) => {
    const ctx: MutationContext = {
      stores: state.stores,
      marketplaceId,
      region: cfg.region,
      now: () => rt.now(),
    };
    const existing = state.amazon.get(sku);
    const plan = planPatches(existing, sku, productType, patches, ctx);
    if (!plan.apply)
      return reply.send(submission(request, sku, "INVALID", plan.issues, existing, marketplaceId));
    const listing = plan.creates ?? existing!;
    if (one((request.query as Query).mode) === "VALIDATION_PREVIEW")
      return reply.send(submission(request, sku, "VALID", [], listing, marketplaceId));
    const apply = plan.apply;
    scheduleApply(
      rt,
      listing,
      () => {
        if (plan.creates) state.addAmazon(plan.creates);
        return apply();
      },
      rt.scaled(cfg.listingWriteDelayMs),
    );
    return reply.send(submission(request, sku, "ACCEPTED", [], listing, marketplaceId));
  };

  app.patch(
    `${LISTINGS}/:sellerId/:sku`,
    { config: { api: "amazon", operation: "patchListingsItem" } },
    async (request, reply) => {
      const marketplaceIds = storesOf(request, reply);
      if (!marketplaceIds) return reply;
      const { sku } = request.params as { sku: string };
      const body = request.body as { productType: string; patches: PatchOp[] };
      if (body.patches.length === 0)
        return amazonError(reply, 400, "InvalidInput", "The request body needs at least one patch.");
      return submit(request, reply, sku, body.productType, body.patches, marketplaceIds[0]!);
    },
  );

  app.put(
    `${LISTINGS}/:sellerId/:sku`,
    { config: { api: "amazon", operation: "putListingsItem" } },
    async (request, reply) => {
      const marketplaceIds = storesOf(request, reply);
      if (!marketplaceIds) return reply;
      const { sku } = request.params as { sku: string };
      const body = request.body as {
        productType: string;
        attributes: Record<string, Array<Record<string, unknown>>>;
      };
      const patches: PatchOp[] = Object.entries(body.attributes).map(([name, value]) => ({
        op: "replace",
        path: `/attributes/${name}`,
        value,
      }));
      const existing = state.amazon.get(sku);
      if (!existing || existing.deleted) {
        // A full listing (unlike a patch's partial one): Amazon matches or creates its catalog item.
        const listing = partialListing(sku, body.productType, {
          stores: state.stores,
          marketplaceId: marketplaceIds[0]!,
          region: cfg.region,
          now: () => rt.now(),
        });
        listing.partial = false;
        listing.issues = [];
        listing.status = "INACTIVE";
        for (const offer of Object.values(listing.elsewhere)) offer.status = "INACTIVE";
        listing.asin = `B0${(state.amazon.size + 1).toString(36).toUpperCase().padStart(8, "0")}`;
        listing.title = String(body.attributes.item_name?.[0]?.value ?? sku);
        state.addAmazon(listing);
      }
      return submit(request, reply, sku, body.productType, patches, marketplaceIds[0]!);
    },
  );

  app.delete(
    `${LISTINGS}/:sellerId/:sku`,
    { config: { api: "amazon", operation: "deleteListingsItem" } },
    async (request, reply) => {
      const marketplaceIds = storesOf(request, reply);
      if (!marketplaceIds) return reply;
      const { sku } = request.params as { sku: string };
      const listing = state.amazon.get(sku);
      const marketplaceId = marketplaceIds[0]!;
      if (!listing || listing.deleted) {
        return reply.send(
          submission(
            request,
            sku,
            "INVALID",
            [
              {
                code: "4000001",
                message: `The SKU '${sku}' does not exist for this seller.`,
                severity: "ERROR",
              },
            ],
            undefined,
            marketplaceId,
          ),
        );
      }
      scheduleApply(
        rt,
        listing,
        () => {
          listing.deleted = true;
          listing.updatedAt = rt.now();
          return { quantityChanged: false, statusChanged: true, issuesChanged: false };
        },
        rt.scaled(cfg.listingWriteDelayMs),
      );
      return reply.send(submission(request, sku, "ACCEPTED", [], listing, marketplaceId));
    },
  );
}
