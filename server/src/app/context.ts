import type { FastifyBaseLogger } from "fastify";
import type { PrismaClient } from "../generated/prisma/client";
import { forbiddenError } from "../graphql/access";
import type { Context, Services } from "../graphql/context";
import type { ClientInfo } from "../modules/identity/identity.service";
import { type Actor, actorOf } from "../platform/auth/actor";
import type { Principal, TenantRef } from "../platform/auth/principal";
import { type RequestTenantDb, requestTenantDb } from "../platform/db";
import { createLoaders, type Loaders } from "./loaders";

/**
 * A request's context. Its tenant, scoped database and loaders are made on first use, so an anonymous or
 * tenant-less request that reaches a tenant's data fails FORBIDDEN instead of running unscoped. They are
 * getters on the prototype: Apollo copies a context's own properties, which would read them eagerly.
 */
class RequestContext implements Context {
  readonly actor: Actor;
  private scopedDb?: RequestTenantDb;
  private requestLoaders?: Loaders;

  constructor(
    private readonly prisma: PrismaClient,
    readonly services: Services,
    readonly auth: Principal | null,
    readonly requestId: string,
    readonly log: FastifyBaseLogger,
    readonly client: ClientInfo,
    readonly http: Context["http"],
  ) {
    this.actor = actorOf(auth);
  }

  get tenant(): TenantRef {
    if (!this.auth?.tenant) throw forbiddenError("This needs a tenant: sign in to one, or use its API key");
    return this.auth.tenant;
  }

  get db(): RequestTenantDb {
    this.scopedDb ??= requestTenantDb(this.prisma, this.tenant.id);
    return this.scopedDb;
  }

  async pinTransaction() {
    if (this.auth?.tenant) await this.db.pin();
  }

  async releaseTransaction() {
    await this.scopedDb?.unpin();
  }

  get loaders(): Loaders {
    this.requestLoaders ??= createLoaders(this.db);
    return this.requestLoaders;
  }
}

/** A request's context for a principal. */
export function buildContext(options: {
  prisma: PrismaClient;
  services: Services;
  principal: Principal | null;
  requestId: string;
  log: FastifyBaseLogger;
  client: ClientInfo;
  http?: Context["http"];
}): Context {
  return new RequestContext(
    options.prisma,
    options.services,
    options.principal,
    options.requestId,
    options.log,
    options.client,
    options.http,
  );
}
