import { randomBytes } from "node:crypto";
import type { PrismaClient, WebhookEndpoint, WebhookSecret } from "../../generated/prisma/client";
import type { Actor } from "../../platform/auth/actor";
import type { CredentialCipher } from "../../platform/credentials";
import type { TenantDb, Tx } from "../../platform/db";
import { AuditAction, recordAudit } from "../audit";

/** The path webhooks are posted to; each connection's URL is this plus its endpoint id. */
export const WEBHOOK_PATH = "/webhooks";
/** 24 random bytes, base64url: an id nobody guesses, so the URL alone names the connection. */
export const ENDPOINT_ID = /^we_[A-Za-z0-9_-]{32}$/;
/** Longest overlap a rotation may give the previous secret. */
export const MAX_OVERLAP_SECONDS = 7 * 24 * 3600;

export type EndpointWithSecrets = WebhookEndpoint & { secrets: WebhookSecret[] };

const newEndpointId = () => `we_${randomBytes(24).toString("base64url")}`;
// Standard Webhooks secrets: "whsec_" and base64 of 24 to 64 random bytes.
const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;
// The endpoint id is bound into the ciphertext: a secret copied onto another endpoint does not decrypt.
const aad = (endpointId: string) => `webhook:${endpointId}`;

const isValid = (secret: WebhookSecret, now: Date) => secret.expiresAt === null || secret.expiresAt > now;

/**
 * Each connection's webhook endpoint: the unguessable id in its URL, its signing secrets (encrypted like
 * credentials; rotated with an overlap during which the previous one still verifies) and the SNS topic it accepts.
 */
export class WebhookEndpoints {
  constructor(
    private readonly cipher: CredentialCipher,
    private readonly options: { publicUrl: string; defaultOverlapSeconds: number },
  ) {}

  get defaultOverlapSeconds(): number {
    return this.options.defaultOverlapSeconds;
  }

  url(endpointId: string): string {
    return `${this.options.publicUrl}${WEBHOOK_PATH}/${endpointId}`;
  }

  /** The endpoint a URL names, with its tenant, before any tenant is known (the endpoint_lookup policy). */
  async find(prisma: PrismaClient, endpointId: string): Promise<WebhookEndpoint | null> {
    if (!ENDPOINT_ID.test(endpointId)) return null;
    const [, endpoint] = await prisma.$transaction([
      prisma.$executeRaw`SELECT set_config('app.webhook_endpoint', ${endpointId}, true)`,
      prisma.webhookEndpoint.findUnique({ where: { id: endpointId } }),
    ]);
    return endpoint;
  }

  /** The connection's endpoint with its secrets, made (with a first secret) the first time it is asked for. */
  async ensure(db: TenantDb, connectionId: string): Promise<EndpointWithSecrets> {
    const existing = await db.client.webhookEndpoint.findUnique({
      where: { connectionId },
      include: { secrets: { orderBy: { createdAt: "desc" } } },
    });
    if (existing?.secrets.some((s) => s.expiresAt === null)) return existing;
    return db.transaction((tx) => this.ensureIn(tx, connectionId));
  }

  private async ensureIn(tx: Tx, connectionId: string): Promise<EndpointWithSecrets> {
    // Two first reads at once: the second waits on the unique index, then finds the first one's rows.
    await tx.$executeRaw`
      INSERT INTO webhook_endpoints (id, connection_id) VALUES (${newEndpointId()}, ${connectionId}::uuid)
      ON CONFLICT (connection_id) DO NOTHING`;
    const endpoint = await tx.webhookEndpoint.findUniqueOrThrow({ where: { connectionId } });
    const current = await tx.webhookSecret.findFirst({ where: { endpointId: endpoint.id, expiresAt: null } });
    if (!current) await this.addSecret(tx, endpoint.id);
    const secrets = await tx.webhookSecret.findMany({
      where: { endpointId: endpoint.id },
      orderBy: { createdAt: "desc" },
    });
    return { ...endpoint, secrets };
  }

  private addSecret(tx: Tx, endpointId: string) {
    return tx.webhookSecret.create({
      data: { endpointId, secretEncrypted: this.cipher.encrypt({ secret: newSecret() }, aad(endpointId)) },
    });
  }

  /** A secret in clear, for the owner to paste into the marketplace and for verifying. */
  reveal(secret: WebhookSecret): string {
    return this.cipher.decrypt(secret.secretEncrypted, aad(secret.endpointId)).secret!;
  }

  /** The secrets a delivery may be signed with now: the current one and those still inside their overlap. */
  async verificationSecrets(db: TenantDb, endpointId: string, now = new Date()): Promise<string[]> {
    const secrets = await db.client.webhookSecret.findMany({
      where: { endpointId, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      orderBy: { createdAt: "desc" },
    });
    return secrets.filter((s) => isValid(s, now)).map((s) => this.reveal(s));
  }

  /**
   * Replaces the current secret with a new one; the previous one keeps verifying for `overlapSeconds` (0: not
   * at all), older ones stop now. Recorded in the audit log as WEBHOOK_SECRET_ROTATED.
   */
  async rotate(
    db: TenantDb,
    connectionId: string,
    overlapSeconds: number,
    audit: { actor: Actor; ip: string | null },
  ): Promise<EndpointWithSecrets> {
    return db.transaction(async (tx) => {
      const endpoint = await this.ensureIn(tx, connectionId);
      // Serialises rotations of one endpoint: two at once must not leave two current secrets.
      await tx.$queryRaw`SELECT id FROM webhook_endpoints WHERE id = ${endpoint.id} FOR UPDATE`;
      const now = new Date();
      const until = new Date(now.getTime() + overlapSeconds * 1000);
      await tx.webhookSecret.deleteMany({ where: { endpointId: endpoint.id, expiresAt: { not: null } } });
      await tx.webhookSecret.updateMany({
        where: { endpointId: endpoint.id, expiresAt: null },
        data: { expiresAt: until },
      });
      await this.addSecret(tx, endpoint.id);
      await recordAudit(tx, {
        action: AuditAction.WEBHOOK_SECRET_ROTATED,
        actor: audit.actor,
        targetType: "PlatformConnection",
        targetId: connectionId,
        details: { endpointId: endpoint.id, previousValidUntil: until.toISOString(), overlapSeconds },
        ip: audit.ip,
      });
      const secrets = await tx.webhookSecret.findMany({
        where: { endpointId: endpoint.id },
        orderBy: { createdAt: "desc" },
      });
      return { ...endpoint, secrets };
    });
  }

  /** Sets (or with null clears) the Amazon SNS topic whose messages the endpoint accepts. */
  async setSnsTopic(
    db: TenantDb,
    connectionId: string,
    topicArn: string | null,
  ): Promise<EndpointWithSecrets> {
    await this.ensure(db, connectionId);
    return db.client.webhookEndpoint.update({
      where: { connectionId },
      data: { snsTopicArn: topicArn },
      include: { secrets: { orderBy: { createdAt: "desc" } } },
    });
  }
}

/** What the settings show about an endpoint's secrets: the current one and until when the previous one works. */
export function secretStatus(endpoint: EndpointWithSecrets, now = new Date()) {
  const current = endpoint.secrets.find((s) => s.expiresAt === null);
  const previous = endpoint.secrets.filter((s) => s.expiresAt !== null && isValid(s, now));
  return {
    current: current ?? null,
    previousValidUntil: previous.length > 0 ? previous[0]!.expiresAt : null,
  };
}
