import type { FastifyBaseLogger, FastifyReply } from "fastify";
import type { Loaders } from "../app/loaders";
import type { ConnectionService } from "../modules/connections/connections.service";
import type { Authenticator } from "../modules/identity/authenticator";
import type { ClientInfo, IdentityService } from "../modules/identity/identity.service";
import type { SyncRuntime } from "../modules/sync/sync.runtime";
import type { WebhookEndpoints } from "../modules/webhooks/webhook-endpoints.service";
import type { WebhookIntake } from "../modules/webhooks/webhook-intake.service";
import type { Actor } from "../platform/auth/actor";
import type { Principal, TenantRef } from "../platform/auth/principal";
import type { TenantDb } from "../platform/db";
import type { PgPubSub } from "../platform/events";
import type { CostReport } from "./cost";

/** Long-lived services shared by every request. */
export interface Services {
  connections: ConnectionService;
  /** Events across processes (sync progress); one per process. */
  pubSub: PgPubSub;
  /** The sync engine: queue, workers' runtime, progress events. */
  sync: SyncRuntime;
  identity: IdentityService;
  authenticator: Authenticator;
  /** Connections' webhook URLs and secrets. */
  webhookEndpoints: WebhookEndpoints;
  /** Receives, verifies and stores marketplace notifications. */
  webhookIntake: WebhookIntake;
  /** Whether email goes out (SMTP_URL is set). */
  emailAvailable?: boolean;
  /** Rows one bulkUpdateInventory call takes (BULK_UPDATE_MAX_ROWS, at most 10,000). */
  bulkUpdateMaxRows?: number;
  /** Turns alert events into users' notifications; `kick` handles what is waiting now. */
  notifications?: { kick(): Promise<void> };
}

/** What every resolver receives: who is calling, in which tenant, its scoped database and per-request loaders. */
export interface Context {
  requestId: string;
  log: FastifyBaseLogger;
  services: Services;
  /** The caller its credential proves; null for an anonymous request (only public fields run then). */
  auth: Principal | null;
  /** Who changes are recorded under: the caller's user or API key. */
  actor: Actor;
  client: ClientInfo;
  /** The tenant the caller acts in; reading it without one is FORBIDDEN (access checks run first). */
  tenant: TenantRef;
  db: TenantDb;
  /** Runs the rest of the operation's database calls in one transaction that names the tenant once. */
  pinTransaction(): Promise<void>;
  /** Commits the pinned transaction, if any. */
  releaseTransaction(): Promise<void>;
  loaders: Loaders;
  /** Over HTTP: the request's cookies and the reply, for the session cookie. */
  http?: { cookies: Record<string, string | undefined>; reply: FastifyReply; secure: boolean };
  /** The operation's query cost, once charged. */
  cost?: CostReport;
}
