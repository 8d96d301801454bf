import { LRUCache } from "lru-cache";
import type pg from "pg";
import type { Principal, TenantRef } from "../../platform/auth/principal";
import { isScope, ROLE_SCOPES, type Scope } from "../../platform/auth/scopes";
import type { AccessTokens } from "./access-tokens";
import {
  type ApiKeyRow,
  apiKeyByHash,
  type MembershipRow,
  membershipsOf,
  type SessionRow,
  sessionById,
  touchApiKey,
} from "./identity.repository";
import { looksLikeApiKey, sha256 } from "./secrets";

export type AuthOutcome =
  | { ok: true; principal: Principal }
  | { ok: false; code: "UNAUTHENTICATED" | "FORBIDDEN"; message: string };

const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]{1,4096})$/i;
/** How often a key's last use is written back (per process): lists need minutes, not every request. */
const TOUCH_EVERY_MS = 60_000;

const unauthenticated = (message: string): AuthOutcome => ({ ok: false, code: "UNAUTHENTICATED", message });
const forbidden = (message: string): AuthOutcome => ({ ok: false, code: "FORBIDDEN", message });

/**
 * Turns an `Authorization: Bearer` credential (a partner's API key or a dashboard access token) into a
 * principal in one tenant. Keys, sessions and memberships are cached for a few seconds, so a request costs no
 * query while revocations and role changes still take effect within that time (sooner in this process).
 */
export class Authenticator {
  private readonly keys: LRUCache<string, ApiKeyRow | "none">;
  private readonly sessions: LRUCache<string, SessionRow | "none">;
  private readonly memberships: LRUCache<string, MembershipRow[]>;
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly tokens: AccessTokens,
    options: { cacheTtlMs?: number; onError?: (error: unknown) => void } = {},
  ) {
    const ttl = options.cacheTtlMs ?? 3_000;
    this.keys = new LRUCache({ max: 10_000, ttl });
    this.sessions = new LRUCache({ max: 10_000, ttl });
    this.memberships = new LRUCache({ max: 10_000, ttl });
    this.onError = options.onError ?? (() => {});
  }

  private readonly onError: (error: unknown) => void;

  /**
   * The principal an Authorization header proves, acting in `tenantSlug` (or its default tenant); null when
   * the request carries no credential at all.
   */
  async authenticate(
    authorization: string | undefined,
    tenantSlug: string | undefined,
  ): Promise<AuthOutcome | null> {
    if (authorization === undefined || authorization === "") return null;
    const match = BEARER.exec(authorization);
    if (!match)
      return unauthenticated("Send credentials as `Authorization: Bearer <API key or access token>`");
    const credential = match[1]!;
    return looksLikeApiKey(credential)
      ? this.fromApiKey(credential, tenantSlug)
      : this.fromAccessToken(credential, tenantSlug);
  }

  private async fromApiKey(secret: string, tenantSlug: string | undefined): Promise<AuthOutcome> {
    const hash = sha256(secret);
    let row = this.keys.get(hash);
    if (row === undefined) {
      row = (await apiKeyByHash(this.pool, hash)) ?? "none";
      this.keys.set(hash, row);
    }
    if (row === "none" || row.revokedAt) return unauthenticated("The API key is unknown or revoked");
    if (row.expiresAt && row.expiresAt <= new Date()) return unauthenticated("The API key has expired");
    if (tenantSlug !== undefined && tenantSlug !== row.slug) {
      return forbidden("An API key acts only in the tenant it was created for");
    }
    this.touch(row.id);
    return {
      ok: true,
      principal: {
        kind: "API_KEY",
        id: row.id,
        sessionId: null,
        tenant: { id: row.tenantId, slug: row.slug },
        role: null,
        scopes: new Set(row.scopes.filter(isScope) as Scope[]),
      },
    };
  }

  private async fromAccessToken(token: string, tenantSlug: string | undefined): Promise<AuthOutcome> {
    const claims = await this.tokens.verify(token);
    if (claims === "expired") return unauthenticated("The access token has expired; refresh the session");
    if (claims === "invalid") return unauthenticated("The access token is not valid");
    let session = this.sessions.get(claims.sessionId);
    if (session === undefined) {
      session = (await sessionById(this.pool, claims.sessionId)) ?? "none";
      this.sessions.set(claims.sessionId, session);
    }
    if (session === "none" || session.userId !== claims.userId || session.revokedAt) {
      return unauthenticated("The session has ended; sign in again");
    }
    if (session.expiresAt <= new Date()) return unauthenticated("The session has expired; sign in again");
    const memberships = await this.membershipsOf(claims.userId);
    const chosen = tenantSlug === undefined ? memberships[0] : memberships.find((m) => m.slug === tenantSlug);
    if (tenantSlug !== undefined && !chosen) {
      return forbidden("You are not a member of that tenant");
    }
    const tenant: TenantRef | null = chosen ? { id: chosen.tenantId, slug: chosen.slug } : null;
    return {
      ok: true,
      principal: {
        kind: "USER",
        id: claims.userId,
        sessionId: claims.sessionId,
        tenant,
        role: chosen?.role ?? null,
        scopes: chosen ? ROLE_SCOPES[chosen.role] : new Set(),
      },
    };
  }

  /** A user's memberships, through the same short cache the requests use. */
  async membershipsOf(userId: string): Promise<MembershipRow[]> {
    let rows = this.memberships.get(userId);
    if (rows === undefined) {
      rows = await membershipsOf(this.pool, userId);
      this.memberships.set(userId, rows);
    }
    return rows;
  }

  /** Drops cached rows after a change in this process, so it takes effect here at once. */
  forget(what: { keyHash?: string; sessionId?: string; userId?: string }) {
    if (what.keyHash) this.keys.delete(what.keyHash);
    if (what.sessionId) this.sessions.delete(what.sessionId);
    if (what.userId) this.memberships.delete(what.userId);
  }

  /** Forgets every cached key (a key was revoked by id; its hash is not at hand). */
  forgetKeys() {
    this.keys.clear();
  }

  private touch(keyId: string) {
    const now = Date.now();
    if (now - (this.touched.get(keyId) ?? 0) < TOUCH_EVERY_MS) return;
    this.touched.set(keyId, now);
    if (this.touched.size > 10_000) this.touched.clear();
    touchApiKey(this.pool, keyId).catch(this.onError);
  }
}
