import { gzipSync } from "node:zlib";
import type { SandboxRuntime } from "../sandbox.runtime";
import { emitEffects } from "./amazon.common";
import { type ListingIssue, type PatchOp, planPatches } from "./listing-mutations";
import { feedProcessingFinished } from "./notifications";

interface FeedMessage {
  messageId?: number;
  sku?: string;
  operationType?: string;
  productType?: string;
  attributes?: Record<string, Array<Record<string, unknown>>>;
  patches?: PatchOp[];
}

interface ReportIssue extends ListingIssue {
  messageId?: number;
  sku?: string;
}

/** Moves a feed through IN_QUEUE -> IN_PROGRESS -> DONE/FATAL on the platform's timetable, then writes its report. */
export function processFeed(rt: SandboxRuntime, feedId: string): void {
  const feed = rt.feeds.get(feedId);
  if (!feed) return;
  const timing = rt.config.feedTiming;
  const doc = rt.documents.get(feed.inputFeedDocumentId);
  const text = doc?.content?.toString("utf8") ?? "";
  let parsed: { header?: { sellerId?: string; version?: string }; messages?: FeedMessage[] } | undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const messageCount = Array.isArray(parsed?.messages) ? parsed.messages.length : 0;
  feed.timers.push(
    rt.later(rt.scaled(timing.queuedMs), () => {
      feed.processingStatus = "IN_PROGRESS";
      feed.processingStartTime = rt.now();
      feed.timers.push(
        rt.later(rt.scaled(timing.baseMs + timing.perMessageMs * messageCount), () => finish()),
      );
    }),
  );

  const finish = () => {
    const sellerId = rt.config.sellerId;
    const issues: ReportIssue[] = [];
    let fatal: string | undefined;
    if (rt.validator && parsed)
      rt.recordViolation(
        "document",
        "JSON_LISTINGS_FEED",
        rt.validator.validateDocument("listingsFeed", parsed),
      );
    if (!parsed || typeof parsed !== "object") fatal = "The feed document is not valid JSON.";
    else if (parsed.header?.version !== "2.0" || parsed.header.sellerId !== sellerId)
      fatal = "The feed header must have version 2.0 and the submitting seller's sellerId.";
    else if (
      !Array.isArray(parsed.messages) ||
      parsed.messages.length === 0 ||
      parsed.messages.length > 25_000
    )
      fatal = "The feed must contain between 1 and 25,000 messages.";
    let accepted = 0;
    let invalid = 0;
    if (fatal) {
      issues.push({ code: "4000000", severity: "ERROR", message: fatal });
    } else {
      const seen = new Set<number>();
      for (const message of parsed!.messages!) {
        const before = issues.length;
        const messageErrors = rt.validator?.validateDocument("listingsFeedMessage", message) ?? [];
        const base = {
          messageId: typeof message.messageId === "number" ? message.messageId : undefined,
          sku: message.sku || undefined,
        };
        if (messageErrors.length > 0 || !message.sku || typeof message.messageId !== "number") {
          issues.push({
            ...base,
            code: "100",
            severity: "ERROR",
            message: `The message does not match the listings feed message schema: ${messageErrors[0] ?? "messageId and sku are required"}`,
          });
        } else if (seen.has(message.messageId)) {
          issues.push({
            ...base,
            code: "101",
            severity: "ERROR",
            message: `messageId ${message.messageId} is used more than once in this feed.`,
          });
        } else if (rt.chance(rt.faults.feedItemErrorRate)) {
          issues.push({
            ...base,
            code: "5000",
            severity: "ERROR",
            message: "An internal error prevented this message from being processed. Submit it again.",
          });
        } else {
          seen.add(message.messageId);
          const listing = rt.state.amazon.get(message.sku);
          if (message.operationType === "DELETE") {
            if (!listing || listing.deleted)
              issues.push({
                ...base,
                code: "4000001",
                severity: "ERROR",
                message: `The SKU '${message.sku}' does not exist for this seller.`,
              });
            else {
              listing.deleted = true;
              listing.updatedAt = rt.now();
              emitEffects(rt, listing, { quantityChanged: false, statusChanged: true, issuesChanged: false });
            }
          } else {
            const patches: PatchOp[] =
              message.operationType === "PATCH"
                ? (message.patches ?? [])
                : Object.entries(message.attributes ?? {}).map(([name, value]) => ({
                    op: "replace",
                    path: `/attributes/${name}`,
                    value,
                  }));
            const plan = planPatches(listing, message.sku, String(message.productType ?? ""), patches, {
              stores: rt.state.stores,
              marketplaceId: feed.marketplaceIds[0]!,
              region: rt.config.region,
              now: () => rt.now(),
            });
            if (plan.apply) {
              // As with a patch, a message for a SKU that is not listed creates a partial listing.
              if (plan.creates) rt.state.addAmazon(plan.creates);
              emitEffects(rt, plan.creates ?? listing!, plan.apply());
            } else for (const issue of plan.issues) issues.push({ ...base, ...issue });
          }
        }
        if (issues.length > before) invalid++;
        else accepted++;
      }
      rt.state.touch();
    }
    const report = {
      header: { sellerId, version: "2.0", feedId },
      issues,
      summary: {
        errors: issues.filter((i) => i.severity === "ERROR").length,
        warnings: issues.filter((i) => i.severity === "WARNING").length,
        messagesProcessed: accepted + invalid,
        messagesAccepted: accepted,
        messagesInvalid: invalid,
      },
    };
    if (rt.validator)
      rt.recordViolation(
        "document",
        "processingReport",
        rt.validator.validateDocument("processingReport", report),
      );
    const resultId = `amzn1.tortuga.4.na.${rt.nextId("rep")}`;
    rt.documents.set(resultId, {
      id: resultId,
      contentType: "application/json",
      content: gzipSync(JSON.stringify(report)),
      compressed: true,
      createdAt: rt.now(),
    });
    feed.processingStatus = fatal ? "FATAL" : "DONE";
    feed.processingEndTime = rt.now();
    feed.resultFeedDocumentId = resultId;
    rt.emit(
      feedProcessingFinished(
        sellerId,
        {
          feedId,
          feedType: feed.feedType,
          processingStatus: feed.processingStatus,
          resultFeedDocumentId: resultId,
        },
        rt.now(),
      ),
    );
  };
}
