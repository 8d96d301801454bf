import { createHmac, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { TenantDirectory } from "../app/tenants";
import type { NotificationChange } from "../connectors";
import type { PrismaClient } from "../generated/prisma/client";
import type { Services } from "../graphql/context";
import { ErrorCode } from "../graphql/errors";
import { findBadText } from "../graphql/validation";
import { publishedQuantity } from "../modules/catalog/bulk-update.rules";
import type { HistoryRow } from "../modules/history/history.writer";
import { writeHistory } from "../modules/history/history.writer";
import { enqueueJob, planJob, startSync } from "../modules/sync";
import { type Tx, tenantDb } from "../platform/db";
import { parseJsonText } from "./hardening";

export const WEBHOOK_PATH = "/webhooks";
export const SIGNATURE_HEADER = "x-webhook-signature";
// A Map: the path chooses the key, and "constructor" or "__proto__" must find nothing.
const PLATFORMS = new Map<string, "AMAZON" | "MEDUSA">([
  ["amazon", "AMAZON"],
  ["medusa", "MEDUSA"],
]);
const TENANT_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Largest webhook body accepted; marketplace notifications are a few kilobytes (SQS caps them at 256 KiB). */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

type PlanItem = Parameters<typeof planJob>[1]["items"][number];

/**
 * A tenant's webhook secret: HMAC-SHA256 of its slug under WEBHOOK_SECRET, so each tenant signs with its own
 * secret (one leaked secret forges no other tenant's events) and nothing extra is stored.
 */
export function tenantWebhookSecret(masterSecret: string, slug: string): string {
  return createHmac("sha256", masterSecret).update(`webhook:${slug}`).digest("hex");
}

/** The signature header's value for a body: "sha256=" and the hex HMAC-SHA256 of the raw body. */
export function signWebhook(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

function signatureMatches(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const given = header.startsWith("sha256=") ? header.slice(7) : header;
  if (!/^[0-9a-f]{64}$/i.test(given)) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(given, "hex"));
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function fail(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

export interface WebhookOutcome {
  /** DEFERRED: some changes could not be handed to a sync yet; the event stays RECEIVED, flagged. */
  status: "PROCESSED" | "DEFERRED" | "DUPLICATE";
  eventId: string;
  /** The urgent WEBHOOK job writing decreases to the other platforms. */
  jobId: string | null;
  /** The PARTIAL sync (trigger WEBHOOK) that reads the other changed SKUs on every platform. */
  syncJobId: string | null;
  /** SKUs whose change is read and compared by a sync rather than taken from the notification. */
  deferredSkus: string[];
}

type HandledEvent = WebhookOutcome & { eventRowId: string | null };

/**
 * Records one notification and acts on it in one transaction: quantity decreases (a sale on that platform)
 * lower our record and plan an urgent WEBHOOK job writing the lower quantity to every other platform.
 * Anything else (increases, status, price) is flagged (status RECEIVED, payload.deferredSkus) for a sync that
 * reads the platforms, because an increase waits for a confirmed read: a stale notification must never relist
 * an item that already sold.
 */
async function handleEvent(
  tx: Tx,
  input: {
    platform: "AMAZON" | "MEDUSA";
    connectionId: string;
    eventId: string;
    eventType: string;
    body: unknown;
    changes: NotificationChange[];
  },
): Promise<HandledEvent> {
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO webhook_events (platform, event_id, event_type, payload)
    VALUES (${input.platform}::"PlatformKind", ${input.eventId}, ${input.eventType}, ${JSON.stringify(input.body)}::jsonb)
    ON CONFLICT (tenant_id, platform, event_id) DO NOTHING RETURNING id`;
  if (inserted.length === 0)
    return {
      status: "DUPLICATE",
      eventId: input.eventId,
      jobId: null,
      syncJobId: null,
      deferredSkus: [],
      eventRowId: null,
    };
  const eventRowId = inserted[0]!.id;

  const decreases: { sku: string; quantity: number }[] = [];
  const deferred = new Set<string>();
  for (const c of input.changes) {
    if (!c.sku) continue;
    if (
      c.kind === "QUANTITY" &&
      typeof c.quantity === "number" &&
      Number.isInteger(c.quantity) &&
      c.quantity >= 0
    ) {
      decreases.push({ sku: c.sku, quantity: c.quantity });
    } else if (c.kind !== "FEED_FINISHED") {
      deferred.add(c.sku);
    }
  }

  const history: HistoryRow[] = [];
  const plan: PlanItem[] = [];
  const connections = await tx.platformConnection.findMany({ where: { enabled: true } });
  for (const { sku, quantity } of decreases) {
    const [item] = await tx.$queryRaw<
      { id: string; productId: string; quantity: number; reserved: number }[]
    >`
      SELECT id, product_id AS "productId", quantity, reserved_quantity AS reserved
        FROM seller_inventory WHERE sku = ${sku} FOR UPDATE`;
    if (!item) {
      deferred.add(sku);
      continue;
    }
    const listings = await tx.$queryRaw<
      { id: string; connectionId: string; platform: string; quantity: number }[]
    >`
      SELECT id, connection_id AS "connectionId", platform::text AS platform, quantity
        FROM product_listings WHERE product_id = ${item.productId}::uuid ORDER BY id FOR UPDATE`;
    const source = listings.find((l) => l.connectionId === input.connectionId);
    if (!source || quantity >= source.quantity) {
      // Not a decrease we can measure against a known value: the incremental sync reads and confirms it.
      if (!source || quantity > source.quantity) deferred.add(sku);
      continue;
    }
    const sold = source.quantity - quantity;
    const newQuantity = Math.max(item.quantity - sold, 0);
    await tx.productListing.update({
      where: { id: source.id },
      data: { quantity, lastConfirmedAt: new Date() },
    });
    history.push({
      productId: item.productId,
      sku,
      field: "quantity",
      oldValue: source.quantity,
      newValue: quantity,
      platform: input.platform,
      connectionId: input.connectionId,
    });
    if (newQuantity !== item.quantity) {
      await tx.sellerInventory.update({ where: { id: item.id }, data: { quantity: newQuantity } });
      history.push({
        productId: item.productId,
        sku,
        field: "quantity",
        oldValue: item.quantity,
        newValue: newQuantity,
      });
    }
    for (const listing of listings) {
      if (listing.id === source.id) continue;
      const connection = connections.find((c) => c.id === listing.connectionId);
      if (!connection) continue;
      const target = publishedQuantity(newQuantity - item.reserved, connection);
      // Only the decrease is urgent; a higher target waits for the next sync like any increase.
      if (target >= listing.quantity) continue;
      await tx.productListing.update({ where: { id: listing.id }, data: { quantity: target } });
      plan.push({
        productId: item.productId,
        sku,
        platform: listing.platform as PlanItem["platform"],
        field: "quantity",
        fromValue: listing.quantity,
        toValue: target,
        expectedQuantity: listing.quantity,
      });
    }
  }
  const job = plan.length > 0 ? await planJob(tx, { trigger: "WEBHOOK", dryRun: false, items: plan }) : null;
  await writeHistory(tx, history, {
    jobId: job?.id ?? null,
    actor: { type: "WEBHOOK", id: input.platform },
    reason: `webhook ${input.eventType}`,
  });
  const deferredSkus = [...deferred];
  await tx.webhookEvent.update({
    where: { id: eventRowId },
    data:
      deferredSkus.length > 0
        ? {
            status: "RECEIVED",
            payload: { body: input.body as object, deferredSkus, jobId: job?.id ?? null },
          }
        : {
            status: "PROCESSED",
            processedAt: new Date(),
            payload: { body: input.body as object, jobId: job?.id ?? null },
          },
  });
  return {
    status: deferredSkus.length > 0 ? "DEFERRED" : "PROCESSED",
    eventId: input.eventId,
    jobId: job?.id ?? null,
    syncJobId: null,
    deferredSkus,
    eventRowId,
  };
}

/**
 * Hands flagged SKUs to a PARTIAL sync (trigger WEBHOOK, the engine's fast lane when small) and marks the
 * event PROCESSED; when the sync cannot start, the event stays RECEIVED and flagged for a later sync.
 */
async function syncDeferred(
  deps: WebhookDeps,
  db: ReturnType<typeof tenantDb>,
  outcome: HandledEvent,
  log: FastifyRequest["log"],
): Promise<WebhookOutcome> {
  const { eventRowId, ...result } = outcome;
  if (outcome.status !== "DEFERRED" || !eventRowId) return result;
  try {
    const { job } = await startSync(deps.services.sync, db, {
      type: "PARTIAL",
      skus: outcome.deferredSkus,
      trigger: "WEBHOOK",
    });
    const event = await db.client.webhookEvent.findUnique({ where: { id: eventRowId } });
    await db.client.webhookEvent.update({
      where: { id: eventRowId },
      data: {
        status: "PROCESSED",
        processedAt: new Date(),
        payload: { ...(event?.payload as object), syncJobId: job.id },
      },
    });
    return { ...result, status: "PROCESSED", syncJobId: job.id };
  } catch (error) {
    log.warn({ err: error, skus: outcome.deferredSkus }, "webhook changes left flagged for a later sync");
    return result;
  }
}

export interface WebhookDeps {
  prisma: PrismaClient;
  services: Services;
  /** WEBHOOK_SECRET; without it every webhook is refused (503), since none could be verified. */
  secret: string | undefined;
}

/**
 * POST /webhooks/:platform (tenant in x-tenant) and POST /webhooks/:platform/:tenant (for marketplaces that
 * cannot set headers): verifies x-webhook-signature over the raw body, deduplicates by the marketplace's
 * event id, parses with the platform's connector, and acts (see handleEvent). Answers JSON, 4xx for bad input.
 */
export async function registerWebhooks(app: FastifyInstance, deps: WebhookDeps) {
  const tenants = new TenantDirectory(deps.prisma);
  await app.register(async (scope) => {
    // The signature covers the exact bytes sent: keep the raw body, parse it only after verifying.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: MAX_WEBHOOK_BODY_BYTES },
      (_request, body, done) => done(null, body),
    );

    const handler = async (
      request: FastifyRequest<{ Params: { platform: string; tenant?: string } }>,
      reply: FastifyReply,
    ) => {
      const platform = PLATFORMS.get(request.params.platform);
      if (!platform)
        return fail(reply, 404, "UNKNOWN_PLATFORM", `No webhooks for ${request.params.platform}`);
      if (!deps.secret)
        return fail(reply, 503, "WEBHOOKS_DISABLED", "Webhooks need WEBHOOK_SECRET to be set");
      const slug = request.params.tenant ?? first(request.headers["x-tenant"]);
      if (!slug || !TENANT_SLUG.test(slug)) {
        return fail(reply, 400, "BAD_TENANT", "Name the tenant with the x-tenant header or the path");
      }
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (
        !signatureMatches(
          tenantWebhookSecret(deps.secret, slug),
          raw,
          first(request.headers[SIGNATURE_HEADER]),
        )
      ) {
        return fail(reply, 401, "INVALID_SIGNATURE", `${SIGNATURE_HEADER} does not match the body`);
      }
      let body: unknown;
      try {
        body = parseJsonText(raw.toString("utf8"));
      } catch (error) {
        return fail(reply, 400, "MALFORMED_PAYLOAD", (error as Error).message);
      }
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        return fail(reply, 400, "MALFORMED_PAYLOAD", "The body must be a JSON object");
      }
      const badText = findBadText(body);
      if (badText) {
        return fail(reply, 400, ErrorCode.BAD_USER_INPUT, `${badText.path.join(".")} ${badText.problem}`);
      }
      let tenant: { id: string; slug: string };
      try {
        tenant = await tenants.bySlug(slug);
      } catch (error) {
        if ((error as { extensions?: { code?: string } }).extensions?.code !== "TENANT_NOT_FOUND")
          throw error;
        return fail(reply, 404, "TENANT_NOT_FOUND", `No tenant "${slug}"`);
      }
      const db = tenantDb(deps.prisma, tenant.id);
      const connection = await db.client.platformConnection.findFirst({
        where: { kind: platform, enabled: true },
        orderBy: [{ priority: "asc" }, { name: "asc" }],
      });
      if (!connection)
        return fail(reply, 404, "NOT_CONNECTED", `The tenant has no enabled ${platform} connection`);
      let connector: ReturnType<Services["connections"]["connectorFor"]>;
      try {
        connector = deps.services.connections.connectorFor(connection);
      } catch (error) {
        return fail(reply, 503, "CONNECTOR_UNAVAILABLE", (error as Error).message);
      }
      let changes: NotificationChange[];
      try {
        changes = connector.parseNotification({ headers: request.headers, body });
      } catch (error) {
        return fail(
          reply,
          400,
          "MALFORMED_PAYLOAD",
          `Not a ${platform} notification: ${(error as Error).message}`,
        );
      }
      const bodyFields = body as Record<string, unknown>;
      const eventId =
        changes.find((c) => c.eventId)?.eventId ??
        (typeof bodyFields.id === "string" ? bodyFields.id : undefined) ??
        first(request.headers["x-event-id"]);
      if (!eventId) return fail(reply, 400, "MISSING_EVENT_ID", "The notification carries no event id");
      const eventType = String(
        bodyFields.NotificationType ?? bodyFields.name ?? changes[0]?.kind ?? "UNKNOWN",
      );
      const outcome = await db.transaction((tx) =>
        handleEvent(tx, { platform, connectionId: connection.id, eventId, eventType, body, changes }),
      );
      if (outcome.jobId) {
        try {
          await enqueueJob(deps.services.sync, tenant.id, outcome.jobId);
        } catch (error) {
          // Committed with the job PENDING; the engine's recovery picks it up.
          request.log.error({ err: error, jobId: outcome.jobId }, "could not enqueue webhook job");
        }
      }
      return reply.code(200).send(await syncDeferred(deps, db, outcome, request.log));
    };
    scope.post(`${WEBHOOK_PATH}/:platform`, handler);
    scope.post(`${WEBHOOK_PATH}/:platform/:tenant`, handler);
  });
}
