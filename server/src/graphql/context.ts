import type { FastifyBaseLogger } from "fastify";
import type { Loaders } from "../app/loaders";
import type { ConnectionService } from "../modules/connections/connections.service";
import type { Actor } from "../modules/history/actor";
import type { SyncRuntime } from "../modules/sync/sync.runtime";
import type { TenantDb } from "../platform/db";
import type { PgPubSub } from "../platform/events";

/** Long-lived services shared by every request. */
export interface Services {
  connections: ConnectionService;
  /** Events across processes (sync progress); one per process. */
  pubSub: PgPubSub;
  /** The sync engine: queue, workers' runtime, progress events. */
  sync: SyncRuntime;
}

/** What every resolver receives: the caller's tenant, its scoped database and per-request loaders. */
export interface Context {
  requestId: string;
  tenant: { id: string; slug: string };
  db: TenantDb;
  loaders: Loaders;
  services: Services;
  log: FastifyBaseLogger;
  /** Who is calling, recorded in history and resolutions (over WebSocket, from connectionParams or headers). */
  actor?: Actor;
}
