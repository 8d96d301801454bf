import {
  amazonCredentialsFromEnv,
  type ConnectionConfig,
  ConnectorConfigError,
  type ConnectorContext,
  type ConnectorRegistry,
  type HealthReport,
  medusaCredentialsFromEnv,
  type PlatformConnector,
  type PlatformRules,
  type PlatformSettings,
  shortReason,
} from "../../connectors";
import type { PlatformConnection as ConnectionRow, Prisma } from "../../generated/prisma/client";
import type { UserError } from "../../graphql/errors";
import type { Actor } from "../../platform/auth/actor";
import type { CredentialCipher } from "../../platform/credentials";
import type { TenantDb, Tx } from "../../platform/db";
import type { EgressPolicy } from "../../platform/egress";
import { AuditAction, recordAudit } from "../audit";
import { MAX_PRIORITY, MIN_PRIORITY, orderPriorities } from "./connections.order";

/** The connections module's own userError codes, beside the generic INVALID, REQUIRED and OUT_OF_RANGE. */
export const ConnectionErrorCode = {
  /** The endpoint is outside the egress policy: internal, plain http in production, not http(s) at all. */
  ENDPOINT_NOT_ALLOWED: "ENDPOINT_NOT_ALLOWED",
  /** A new order that names a connection twice. */
  DUPLICATE: "DUPLICATE",
  /** A new order that leaves out some of the tenant's connections (one may have been added meanwhile). */
  INCOMPLETE: "INCOMPLETE",
} as const;

/** Credential fields each marketplace needs, and the optional ones it accepts. */
export const CREDENTIAL_FIELDS: Record<string, { required: string[]; optional: string[] }> = {
  AMAZON: { required: ["clientId", "clientSecret", "refreshToken"], optional: ["lwaEndpoint"] },
  MEDUSA: { required: ["apiKey"], optional: ["locationId"] },
};

const HEALTH_TIMEOUT_MS = 10_000;

export interface UpdateConnectionInput {
  id: string;
  name?: string | null;
  enabled?: boolean | null;
  priority?: number | null;
  region?: string | null;
  marketplaceId?: string | null;
  sellerId?: string | null;
  endpoint?: string | null;
  credentials?: unknown;
  stockPercentage?: number | null;
  stockBuffer?: number | null;
  stockMax?: number | null;
}

/** Validates credentials for a marketplace kind: an object of non-empty strings with the required fields. */
export function credentialErrors(kind: string, credentials: unknown): UserError[] {
  const fields = CREDENTIAL_FIELDS[kind];
  const at = (key?: string) => ["input", "credentials", ...(key ? [key] : [])];
  if (!fields) return [{ field: at(), code: "UNSUPPORTED", message: `No connector for ${kind} yet` }];
  if (typeof credentials !== "object" || credentials === null || Array.isArray(credentials)) {
    return [{ field: at(), code: "INVALID", message: "Credentials must be an object of strings" }];
  }
  const errors: UserError[] = [];
  const given = credentials as Record<string, unknown>;
  for (const key of fields.required) {
    if (typeof given[key] !== "string" || (given[key] as string).trim() === "") {
      errors.push({ field: at(key), code: "REQUIRED", message: `${kind} credentials need ${key}` });
    }
  }
  for (const [key, value] of Object.entries(given)) {
    if (!fields.required.includes(key) && !fields.optional.includes(key)) {
      errors.push({ field: at(key), code: "UNKNOWN_FIELD", message: `${kind} credentials have no ${key}` });
    } else if (typeof value !== "string") {
      errors.push({ field: at(key), code: "INVALID", message: `${key} must be a string` });
    }
  }
  return errors;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** Checks every field of an update against what the marketplace knows; empty means it may be applied whole. */
export function updateErrors(
  row: ConnectionRow,
  input: UpdateConnectionInput,
  settings: PlatformSettings,
): UserError[] {
  const errors: UserError[] = [];
  const fail = (field: string, code: string, message: string) =>
    errors.push({ field: ["input", field], code, message });
  if (input.name != null && (input.name.trim() === "" || input.name.length > 100)) {
    fail("name", "INVALID", "name must be 1 to 100 characters");
  }
  if (input.priority != null && (input.priority < MIN_PRIORITY || input.priority > MAX_PRIORITY)) {
    fail("priority", "OUT_OF_RANGE", `priority must be between ${MIN_PRIORITY} and ${MAX_PRIORITY}`);
  }
  if (input.region != null && !settings.regions.includes(input.region)) {
    fail(
      "region",
      "INVALID",
      settings.regions.length > 0
        ? `${row.kind} regions are ${settings.regions.join(", ")}`
        : `${row.kind} connections have no region`,
    );
  }
  if (input.marketplaceId != null) {
    const served = settings.marketplaces.get(input.marketplaceId);
    const region = input.region ?? row.region ?? settings.regions[0];
    if (!served) {
      fail(
        "marketplaceId",
        "INVALID",
        settings.marketplaces.size > 0
          ? `Not a known ${row.kind} marketplace id`
          : `${row.kind} connections have no marketplace`,
      );
    } else if (region && settings.regions.includes(region) && served !== region) {
      fail("marketplaceId", "INVALID", `This marketplace is served from the ${served} region, not ${region}`);
    }
  }
  if (input.endpoint != null && input.endpoint !== "" && !isHttpUrl(input.endpoint)) {
    fail("endpoint", "INVALID", "endpoint must be an http(s) URL");
  }
  if (input.stockPercentage != null && (input.stockPercentage < 0 || input.stockPercentage > 100)) {
    fail("stockPercentage", "OUT_OF_RANGE", "stockPercentage must be between 0 and 100");
  }
  if (input.stockBuffer != null && input.stockBuffer < 0)
    fail("stockBuffer", "OUT_OF_RANGE", "stockBuffer must not be negative");
  if (input.stockMax != null && input.stockMax < 0)
    fail("stockMax", "OUT_OF_RANGE", "stockMax must not be negative");
  if (input.credentials !== undefined && input.credentials !== null) {
    errors.push(...credentialErrors(row.kind, input.credentials));
  }
  return errors;
}

export interface ConnectionServiceOptions {
  /** Where connectors may call: every connector's HTTP goes through its fetch. */
  egress: EgressPolicy;
  /** The only tenant whose connections without stored credentials use the environment's (AMAZON_*, MEDUSA_*). */
  environmentTenantId?: string;
  /** The state connectors share across processes (budgets, tokens, breakers) and where their events go. */
  context?: ConnectorContext;
  env?: NodeJS.ProcessEnv;
}

/**
 * Builds connectors for a tenant's connections from their stored (decrypted) credentials, or from the
 * environment when the connection has none and belongs to the one tenant allowed them, and keeps one per
 * connection; its rate budgets, tokens and circuit breaker live in the shared context, so every process spends
 * one budget per account. Every connector reaches the network through the egress policy.
 */
export class ConnectionService {
  private readonly connectors = new Map<string, { version: number; connector: PlatformConnector }>();
  readonly egress: EgressPolicy;
  private readonly environmentTenantId: string | undefined;
  private readonly env: NodeJS.ProcessEnv;
  private readonly context: ConnectorContext;

  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly cipher: CredentialCipher,
    options: ConnectionServiceOptions,
  ) {
    this.egress = options.egress;
    this.environmentTenantId = options.environmentTenantId;
    this.env = options.env ?? process.env;
    this.context = options.context ?? {};
  }

  /** Every problem with an update: its fields, then the endpoints it names against the egress policy. */
  async validateUpdate(row: ConnectionRow, input: UpdateConnectionInput): Promise<UserError[]> {
    const errors = updateErrors(row, input, this.registry.settings(row.kind));
    const lwa = (input.credentials as { lwaEndpoint?: unknown } | null | undefined)?.lwaEndpoint;
    const endpoints: Array<[string[], unknown]> = [
      [["input", "endpoint"], input.endpoint],
      [["input", "credentials", "lwaEndpoint"], lwa],
    ];
    if (typeof lwa === "string" && lwa !== "" && !isHttpUrl(lwa)) {
      errors.push({
        field: endpoints[1]![0],
        code: "INVALID",
        message: "lwaEndpoint must be an http(s) URL",
      });
    }
    for (const [field, url] of endpoints) {
      if (typeof url !== "string" || url === "" || !isHttpUrl(url)) continue;
      const refusal = await this.egress.check(url);
      if (refusal) {
        errors.push({
          field,
          code: ConnectionErrorCode.ENDPOINT_NOT_ALLOWED,
          message: `The server may not call this endpoint: ${refusal}`,
        });
      }
    }
    return errors;
  }

  /** What the platform of this kind decides itself (fields of its listings no seller write can change). */
  rules(kind: string): PlatformRules {
    return this.registry.rules(kind);
  }

  /** The connector for a connection row; throws ConnectorConfigError when it has no usable credentials. */
  connectorFor(row: ConnectionRow): PlatformConnector {
    const version = row.updatedAt.getTime();
    const cached = this.connectors.get(row.id);
    if (cached?.version === version) return cached.connector;
    void cached?.connector.close();
    const connector = this.registry.create(this.configFor(row), this.context);
    this.connectors.set(row.id, { version, connector });
    return connector;
  }

  private configFor(row: ConnectionRow): ConnectionConfig {
    if (!row.credentialsEncrypted) {
      // The operator's own credentials serve the demo (or configured) tenant only, never a tenant who asks.
      if (row.tenantId !== this.environmentTenantId) {
        throw new ConnectorConfigError(
          `${row.name} has no credentials; set them with updatePlatformConnection`,
        );
      }
      const fromEnv =
        row.kind === "AMAZON"
          ? amazonCredentialsFromEnv(this.env)
          : row.kind === "MEDUSA"
            ? medusaCredentialsFromEnv(this.env)
            : undefined;
      if (!fromEnv)
        throw new ConnectorConfigError(`${row.name} has no credentials (set them, or the environment's)`);
      return { ...fromEnv, fetch: this.egress.fetch };
    }
    const { lwaEndpoint, locationId, ...secret } = this.cipher.decrypt(row.credentialsEncrypted, row.id);
    const endpoints: Record<string, string> = {};
    if (row.endpoint) endpoints.api = row.endpoint;
    if (lwaEndpoint) endpoints.lwa = lwaEndpoint;
    return {
      kind: row.kind,
      endpoints,
      region: row.region ?? undefined,
      marketplaceId: row.marketplaceId ?? undefined,
      sellerId: row.sellerId ?? undefined,
      credentials: {
        ...secret,
        sellerId: row.sellerId ?? undefined,
        marketplaceId: row.marketplaceId ?? undefined,
      },
      options: locationId ? { locationId } : undefined,
      fetch: this.egress.fetch,
    };
  }

  /** Calls the marketplace, records the outcome as the connection's last health, and returns both. */
  async test(db: TenantDb, row: ConnectionRow): Promise<{ report: HealthReport; connection: ConnectionRow }> {
    const started = Date.now();
    let report: HealthReport;
    try {
      const connector = this.connectorFor(row);
      report = await Promise.race([
        connector.checkHealth(),
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS / 1000} s`)),
            HEALTH_TIMEOUT_MS,
          ).unref(),
        ),
      ]);
    } catch (error) {
      report = {
        ok: false,
        auth: "UNKNOWN",
        latencyMs: Date.now() - started,
        message: shortReason((error as Error).message, 300),
        circuit: "CLOSED",
      };
    }
    const status = report.ok
      ? "HEALTHY"
      : report.auth === "FAILED" || report.circuit === "OPEN"
        ? "DOWN"
        : "DEGRADED";
    const connection = await db.client.platformConnection.update({
      where: { id: row.id },
      data: {
        lastHealthStatus: status,
        lastHealthAt: new Date(),
        lastHealthLatencyMs: Math.round(report.latencyMs),
        lastHealthError: report.ok ? null : (report.message ?? "unhealthy"),
      },
    });
    // Health bookkeeping is not a configuration change: keep the cached connector.
    const cached = this.connectors.get(row.id);
    if (cached) cached.version = connection.updatedAt.getTime();
    return { report, connection };
  }

  /**
   * Applies a validated update; credentials are encrypted and never read back, and setting them is recorded in
   * the audit log (which fields, never their values).
   */
  async update(db: TenantDb, row: ConnectionRow, input: UpdateConnectionInput, actor: Actor) {
    const data: Prisma.PlatformConnectionUpdateInput = {};
    if (input.name != null) data.name = input.name.trim();
    if (input.enabled != null) data.enabled = input.enabled;
    if (input.priority != null) data.priority = input.priority;
    if (input.region !== undefined) data.region = input.region;
    if (input.marketplaceId !== undefined) data.marketplaceId = input.marketplaceId;
    if (input.sellerId !== undefined) data.sellerId = input.sellerId;
    if (input.endpoint !== undefined) data.endpoint = input.endpoint || null;
    if (input.stockPercentage != null) data.stockPercentage = input.stockPercentage;
    if (input.stockBuffer != null) data.stockBuffer = input.stockBuffer;
    if (input.stockMax !== undefined) data.stockMax = input.stockMax;
    if (input.credentials == null)
      return db.client.platformConnection.update({ where: { id: row.id }, data });
    const credentials = input.credentials as Record<string, string>;
    data.credentialsEncrypted = this.cipher.encrypt(credentials, row.id);
    data.credentialsUpdatedAt = new Date();
    return db.transaction(async (tx) => {
      const updated = await tx.platformConnection.update({ where: { id: row.id }, data });
      await recordAudit(tx, {
        action: AuditAction.CREDENTIALS_CHANGED,
        actor,
        targetType: "PlatformConnection",
        targetId: row.id,
        details: { connection: row.name, fields: Object.keys(credentials).sort() },
      });
      return updated;
    });
  }

  /**
   * Puts the tenant's connections in the order given (every connection once, first wins) in one transaction:
   * the rows are locked first, so a concurrent reorder or a connection added meanwhile is seen, and any problem
   * saves nothing. Returns the problems, or the connections in their new order.
   */
  reorder(db: TenantDb, ids: readonly string[]) {
    return db.transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; priority: number; name: string }[]>`
        SELECT id, priority, name FROM platform_connections ORDER BY priority, name FOR UPDATE`;
      const known = new Set(rows.map((r) => r.id));
      const errors: UserError[] = [];
      const seen = new Set<string>();
      ids.forEach((id, i) => {
        if (!known.has(id))
          errors.push({
            field: ["ids", String(i)],
            code: "NOT_FOUND",
            message: "No such platform connection",
          });
        else if (seen.has(id))
          errors.push({
            field: ["ids", String(i)],
            code: ConnectionErrorCode.DUPLICATE,
            message: "This connection is already earlier in the order",
          });
        seen.add(id);
      });
      const missing = rows.filter((r) => !seen.has(r.id));
      if (missing.length > 0)
        errors.push({
          field: ["ids"],
          code: ConnectionErrorCode.INCOMPLETE,
          message: `Give every connection once; missing: ${missing.map((r) => r.name).join(", ")}`,
        });
      if (errors.length > 0) return { connections: [], userErrors: errors };
      for (const write of orderPriorities(rows, ids))
        await tx.platformConnection.update({ where: { id: write.id }, data: { priority: write.priority } });
      const saved = await tx.platformConnection.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(saved.map((c) => [c.id, c]));
      return { connections: ids.map((id) => byId.get(id)!), userErrors: [] };
    });
  }

  /** Stores credentials inside an open transaction (used when pointing the demo at the sandbox). */
  storeCredentials(
    tx: Tx,
    connectionId: string,
    credentials: Record<string, string>,
    endpoint: string | null,
  ) {
    return tx.platformConnection.update({
      where: { id: connectionId },
      data: {
        endpoint,
        credentialsEncrypted: this.cipher.encrypt(credentials, connectionId),
        credentialsUpdatedAt: new Date(),
      },
    });
  }

  async close() {
    await Promise.all([...this.connectors.values()].map((c) => c.connector.close()));
    this.connectors.clear();
    await this.egress.close();
  }
}
