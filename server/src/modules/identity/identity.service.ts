import type pg from "pg";
import { z } from "zod";
import type { UserRole } from "../../generated/prisma/enums";
import type { Actor } from "../../platform/auth/actor";
import type { Principal } from "../../platform/auth/principal";
import { ALL_SCOPES, isScope, roleAtLeast } from "../../platform/auth/scopes";
import { inTransaction, type TenantDb } from "../../platform/db";
import { type BucketPlan, type RateBuckets, RateLimitedError } from "../../platform/rate-buckets";
import { AuditAction, recordAudit, recordAuditIn } from "../audit";
import type { AccessTokens } from "./access-tokens";
import type { Authenticator } from "./authenticator";
import { IdentityError, IdentityErrorCode, type IdentityProblem } from "./identity.errors";
import * as repo from "./identity.repository";
import { hashPassword, passwordProblem, verifyPassword } from "./password";
import { newApiKey, randomToken, sha256 } from "./secrets";
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  afterFailure,
  EMPTY_THROTTLE,
  lockedForSeconds,
} from "./sign-in-throttle.rules";

/** A dashboard session lasts 30 days from sign-in; its access tokens 15 minutes each. */
export const SESSION_TTL_DAYS = 30;
const DAY_MS = 86_400_000;
const INVITATION_TTL_DAYS = 7;
const RESET_TTL_MS = 60 * 60_000;
/** Sign-in requests per client address: a burst of 10, then one every 6 seconds. */
export const SIGN_IN_RATE: BucketPlan = { capacity: 10, restorePerSecond: 1 / 6 };

const emailSchema = z.email().max(254);

/** Where a request comes from, for sessions, throttling and the audit log. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** A session's tokens: the access token goes in the payload, the refresh token in an httpOnly cookie. */
export interface SessionTokens {
  userId: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

/** Sends a link to a person (invitation, password reset); email delivery plugs in here. */
export type LinkDelivery = (message: {
  kind: "invitation" | "password-reset";
  to: string;
  subject: string;
  text: string;
  url: string;
  /** The tenant the message is sent for (an invitation's); null for a password reset. */
  tenantId: string | null;
  /** The account it is addressed to, when there is one. */
  userId: string | null;
}) => Promise<void>;

/** Lower-cased and trimmed: one account per address. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function problem(field: string[], code: IdentityErrorCode, message: string): IdentityProblem {
  return { field, code, message };
}

function emailProblem(email: string, field: string[]): IdentityProblem | null {
  return emailSchema.safeParse(normalizeEmail(email)).success
    ? null
    : problem(field, IdentityErrorCode.INVALID_EMAIL, "Not an email address");
}

function nameProblem(name: string, field: string[]): IdentityProblem | null {
  const trimmed = name.trim();
  return trimmed.length >= 1 && trimmed.length <= 100
    ? null
    : problem(field, IdentityErrorCode.INVALID_NAME, "A name has 1 to 100 characters");
}

/**
 * Users, sessions, API keys and team membership: sign-in with throttling and lockout, rotating refresh tokens
 * with reuse detection, one-time invitation and reset links, and keys stored only as hashes.
 */
export class IdentityService {
  constructor(
    private readonly pool: pg.Pool,
    private readonly tokens: AccessTokens,
    private readonly authenticator: Authenticator,
    private readonly buckets: RateBuckets,
    private readonly options: {
      publicUrl: string;
      deliver: LinkDelivery;
      /** Whether `deliver` sends email (SMTP configured), or only hands links to the operator. */
      emailsLinks?: boolean;
    },
  ) {}

  /** Whether invitation and reset links go out by email. */
  get emailsLinks(): boolean {
    return this.options.emailsLinks ?? false;
  }

  /** Checks the address's request rate for sign-in-like calls; throws RateLimitedError when it is spent. */
  async limitSignInRate(ip: string | null): Promise<void> {
    const take = await this.buckets.take(`sign-in:${ip ?? "unknown"}`, 1, SIGN_IN_RATE);
    if (!take.ok) {
      throw new RateLimitedError(
        `Too many sign-in requests from this address; retry in ${take.retryAfterSeconds} s`,
        take.retryAfterSeconds,
      );
    }
  }

  /** Signs a user in: a new session whose tokens are returned; a generic refusal for any wrong detail. */
  async signIn(input: { email: string; password: string }, client: ClientInfo): Promise<SessionTokens> {
    await this.limitSignInRate(client.ip);
    const email = normalizeEmail(input.email);
    const accountKey = `account:${sha256(email)}`;
    const addressKey = `address:${client.ip ?? "unknown"}`;
    const now = new Date();
    const states = await repo.readThrottle(this.pool, [accountKey, addressKey]);
    const account = states.get(accountKey) ?? EMPTY_THROTTLE;
    const address = states.get(addressKey) ?? EMPTY_THROTTLE;
    const wait = Math.max(lockedForSeconds(account, now), lockedForSeconds(address, now));
    if (wait > 0) {
      throw new IdentityError(
        problem([], IdentityErrorCode.SIGN_IN_LOCKED, `Too many failed sign-ins; try again in ${wait} s`),
        wait,
      );
    }
    const user = email.length <= 254 ? await repo.userByEmail(this.pool, email) : null;
    // verifyPassword spends the same time when there is no user or no password, so timing reveals nothing.
    const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
    if (!user || !valid) {
      await repo.writeThrottle(this.pool, accountKey, afterFailure(account, now, ACCOUNT_POLICY));
      await repo.writeThrottle(this.pool, addressKey, afterFailure(address, now, ADDRESS_POLICY));
      if (user) {
        const tenants = (await repo.membershipsOf(this.pool, user.id)).map((m) => m.tenantId);
        await recordAuditIn(this.pool, tenants, {
          action: AuditAction.SIGN_IN_FAILED,
          actor: { type: "USER", id: user.id },
          targetType: "User",
          targetId: user.id,
          ip: client.ip,
        });
      }
      throw new IdentityError(
        problem(["input"], IdentityErrorCode.INVALID_CREDENTIALS, "The email or password is wrong"),
      );
    }
    await repo.clearThrottle(this.pool, accountKey);
    const session = await this.openSession(user.id, client);
    const tenants = (await repo.membershipsOf(this.pool, user.id)).map((m) => m.tenantId);
    await recordAuditIn(this.pool, tenants, {
      action: AuditAction.SIGN_IN,
      actor: { type: "USER", id: user.id },
      targetType: "Session",
      targetId: session.sessionId,
      ip: client.ip,
    });
    return session.tokens;
  }

  /** Starts a session for a user whose identity is already proven (a sign-in, an accepted invitation). */
  async openSession(userId: string, client: ClientInfo) {
    return inTransaction(this.pool, async (c) => {
      const refreshTokenExpiresAt = new Date(Date.now() + SESSION_TTL_DAYS * DAY_MS);
      const sessionId = await repo.createSession(c, {
        userId,
        expiresAt: refreshTokenExpiresAt,
        userAgent: client.userAgent?.slice(0, 500) ?? null,
        ip: client.ip,
      });
      const refreshToken = randomToken(32);
      await repo.insertRefreshToken(c, sha256(refreshToken), sessionId);
      await repo.markSignedIn(c, userId);
      const access = await this.tokens.sign({ userId, sessionId });
      return {
        sessionId,
        tokens: {
          userId,
          accessToken: access.token,
          accessTokenExpiresAt: access.expiresAt,
          refreshToken,
          refreshTokenExpiresAt,
        },
      };
    });
  }

  /**
   * Trades a refresh token for a new access token and a new refresh token. A token presented a second time
   * means someone holds a copy: the whole session is revoked.
   */
  async refresh(refreshToken: string, client: ClientInfo): Promise<SessionTokens | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(refreshToken)) return null;
    return inTransaction(this.pool, async (c) => {
      const spent = await repo.spendRefreshToken(c, sha256(refreshToken));
      if (spent.state === "unknown") return null;
      const session = await repo.sessionById(c, spent.sessionId);
      if (!session || session.revokedAt || session.expiresAt <= new Date()) return null;
      if (spent.state === "reused") {
        await repo.revokeSession(c, session.id, "REFRESH_TOKEN_REUSED");
        this.authenticator.forget({ sessionId: session.id });
        const tenants = (await repo.membershipsOf(c, session.userId)).map((m) => m.tenantId);
        await recordAuditIn(c, tenants, {
          action: AuditAction.SESSION_REVOKED,
          actor: { type: "SYSTEM", id: null },
          targetType: "Session",
          targetId: session.id,
          details: { reason: "REFRESH_TOKEN_REUSED" },
          ip: client.ip,
        });
        return "revoked" as const;
      }
      const next = randomToken(32);
      await repo.insertRefreshToken(c, sha256(next), session.id);
      const access = await this.tokens.sign({ userId: session.userId, sessionId: session.id });
      return {
        userId: session.userId,
        accessToken: access.token,
        accessTokenExpiresAt: access.expiresAt,
        refreshToken: next,
        refreshTokenExpiresAt: session.expiresAt,
      };
    }).then((result) => (result === "revoked" ? null : result));
  }

  /** Ends a session (named by its refresh token or its id); its access tokens stop working within seconds. */
  async signOut(ref: { refreshToken?: string | null; sessionId?: string | null }, client: ClientInfo) {
    let sessionId = ref.sessionId ?? null;
    if (!sessionId && ref.refreshToken && /^[A-Za-z0-9_-]{43}$/.test(ref.refreshToken)) {
      const { rows } = await this.pool.query<{ sessionId: string }>(
        `SELECT session_id AS "sessionId" FROM refresh_tokens WHERE token_hash = $1`,
        [sha256(ref.refreshToken)],
      );
      sessionId = rows[0]?.sessionId ?? null;
    }
    if (!sessionId) return false;
    const session = await repo.sessionById(this.pool, sessionId);
    if (!session || session.revokedAt) return false;
    await repo.revokeSession(this.pool, sessionId, "SIGNED_OUT");
    this.authenticator.forget({ sessionId });
    const tenants = (await repo.membershipsOf(this.pool, session.userId)).map((m) => m.tenantId);
    await recordAuditIn(this.pool, tenants, {
      action: AuditAction.SIGN_OUT,
      actor: { type: "USER", id: session.userId },
      targetType: "Session",
      targetId: sessionId,
      ip: client.ip,
    });
    return true;
  }

  /** Changes the signed-in user's password; every other session of theirs ends. */
  async changePassword(principal: Principal, input: { currentPassword: string; newPassword: string }) {
    const user = await repo.userById(this.pool, principal.id);
    if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
      throw new IdentityError(
        problem(
          ["input", "currentPassword"],
          IdentityErrorCode.INVALID_CREDENTIALS,
          "The current password is wrong",
        ),
      );
    }
    const weak = passwordProblem(input.newPassword);
    if (weak)
      throw new IdentityError(problem(["input", "newPassword"], IdentityErrorCode.INVALID_PASSWORD, weak));
    const hash = await hashPassword(input.newPassword);
    await inTransaction(this.pool, async (c) => {
      await repo.setPassword(c, user.id, hash);
      const ended = await c.query<{ id: string }>(
        `UPDATE sessions SET revoked_at = now(), revoke_reason = 'PASSWORD_CHANGED'
          WHERE user_id = $1 AND revoked_at IS NULL AND id <> $2 RETURNING id`,
        [user.id, principal.sessionId],
      );
      for (const { id } of ended.rows) this.authenticator.forget({ sessionId: id });
      const tenants = (await repo.membershipsOf(c, user.id)).map((m) => m.tenantId);
      await recordAuditIn(c, tenants, {
        action: AuditAction.PASSWORD_CHANGED,
        actor: { type: "USER", id: user.id },
        targetType: "User",
        targetId: user.id,
      });
    });
  }

  /** Sends a reset link when the address has an account; answers the same either way. */
  async requestPasswordReset(email: string, client: ClientInfo): Promise<void> {
    await this.limitSignInRate(client.ip);
    const user = await repo.userByEmail(this.pool, normalizeEmail(email));
    if (!user) return;
    const token = randomToken(32);
    await repo.createPasswordReset(this.pool, user.id, sha256(token), new Date(Date.now() + RESET_TTL_MS));
    const url = `${this.options.publicUrl}/reset-password#token=${token}`;
    await this.options.deliver({
      kind: "password-reset",
      to: user.email,
      subject: "Reset your Inventory Sync password",
      text: `Someone asked to reset the password of ${user.email}. Choose a new one within an hour: ${url}\nIf it was not you, ignore this message.`,
      url,
      tenantId: null,
      userId: user.id,
    });
  }

  /** Sets a new password from a reset link; every session of the user ends. */
  async resetPassword(input: { token: string; password: string }, client: ClientInfo): Promise<void> {
    await this.limitSignInRate(client.ip);
    const weak = passwordProblem(input.password);
    if (weak)
      throw new IdentityError(problem(["input", "password"], IdentityErrorCode.INVALID_PASSWORD, weak));
    const hash = await hashPassword(input.password);
    await inTransaction(this.pool, async (c) => {
      const userId = /^[A-Za-z0-9_-]{43}$/.test(input.token)
        ? await repo.spendPasswordReset(c, sha256(input.token))
        : null;
      if (!userId) {
        throw new IdentityError(
          problem(
            ["input", "token"],
            IdentityErrorCode.INVALID_TOKEN,
            "The link is unknown, used or expired",
          ),
        );
      }
      await repo.setPassword(c, userId, hash);
      for (const id of await repo.revokeUserSessions(c, userId, "PASSWORD_RESET")) {
        this.authenticator.forget({ sessionId: id });
      }
      const tenants = (await repo.membershipsOf(c, userId)).map((m) => m.tenantId);
      await recordAuditIn(c, tenants, {
        action: AuditAction.PASSWORD_RESET,
        actor: { type: "USER", id: userId },
        targetType: "User",
        targetId: userId,
        ip: client.ip,
      });
    });
  }

  /**
   * Joins a tenant through an invitation link. A new address becomes a user with the given name and password;
   * an existing user proves it is them with their password. Returns a new session either way.
   */
  async acceptInvitation(
    input: { token: string; name?: string | null; password: string },
    client: ClientInfo,
  ): Promise<SessionTokens> {
    await this.limitSignInRate(client.ip);
    const userId = await inTransaction(this.pool, async (c) => {
      const invitation = /^[A-Za-z0-9_-]{43}$/.test(input.token)
        ? await repo.invitationByTokenHash(c, sha256(input.token))
        : null;
      if (
        !invitation ||
        invitation.acceptedAt ||
        invitation.revokedAt ||
        invitation.expiresAt <= new Date()
      ) {
        throw new IdentityError(
          problem(
            ["input", "token"],
            IdentityErrorCode.INVALID_TOKEN,
            "The invitation is unknown, used or expired",
          ),
        );
      }
      const existing = await repo.userByEmail(c, invitation.email);
      let id: string;
      if (existing?.passwordHash) {
        if (!(await verifyPassword(existing.passwordHash, input.password))) {
          throw new IdentityError(
            problem(
              ["input", "password"],
              IdentityErrorCode.INVALID_CREDENTIALS,
              `${invitation.email} already has an account: enter its password to join`,
            ),
          );
        }
        id = existing.id;
      } else {
        const weak = passwordProblem(input.password);
        if (weak)
          throw new IdentityError(problem(["input", "password"], IdentityErrorCode.INVALID_PASSWORD, weak));
        const name = (input.name ?? "").trim();
        const bad = nameProblem(name, ["input", "name"]);
        if (bad) throw new IdentityError(bad);
        const hash = await hashPassword(input.password);
        if (existing) {
          await repo.setPassword(c, existing.id, hash);
          await c.query("UPDATE users SET name = $2 WHERE id = $1", [existing.id, name]);
          id = existing.id;
        } else {
          id = (await repo.upsertUser(c, { email: invitation.email, name, passwordHash: hash })).id;
        }
      }
      await repo.addMembership(c, invitation.tenantId, id, invitation.role);
      await repo.markInvitationAccepted(c, invitation.id);
      await recordAuditIn(c, [invitation.tenantId], {
        action: AuditAction.MEMBER_JOINED,
        actor: { type: "USER", id },
        targetType: "Invitation",
        targetId: invitation.id,
        details: { role: invitation.role },
        ip: client.ip,
      });
      return id;
    });
    this.authenticator.forget({ userId });
    return (await this.openSession(userId, client)).tokens;
  }

  /** Invites an address to the tenant with a role; the one-time link is returned and delivered. */
  async invite(
    db: TenantDb,
    principal: Principal,
    input: { email: string; role: UserRole },
  ): Promise<{ invitationId: string; url: string }> {
    const bad = emailProblem(input.email, ["input", "email"]);
    if (bad) throw new IdentityError(bad);
    this.assertMayGrant(principal, input.role, ["input", "role"]);
    const email = normalizeEmail(input.email);
    const token = randomToken(32);
    const invitation = await db.transaction(async (tx) => {
      const member = await tx.membership.findFirst({ where: { user: { email } } });
      if (member) {
        throw new IdentityError(
          problem(["input", "email"], IdentityErrorCode.ALREADY_MEMBER, `${email} is already a member`),
        );
      }
      const created = await tx.invitation.create({
        data: {
          email,
          role: input.role,
          tokenHash: sha256(token),
          createdById: principal.kind === "USER" ? principal.id : null,
          expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * DAY_MS),
        },
      });
      await recordAudit(tx, {
        action: AuditAction.MEMBER_INVITED,
        actor: { type: principal.kind, id: principal.id },
        targetType: "Invitation",
        targetId: created.id,
        details: { email, role: input.role },
      });
      return created;
    });
    const url = `${this.options.publicUrl}/accept-invitation#token=${token}`;
    await this.options.deliver({
      kind: "invitation",
      to: email,
      subject: "You are invited to Inventory Sync",
      text: `You are invited to join ${principal.tenant?.slug ?? "a tenant"} on Inventory Sync as ${input.role.toLowerCase()}. Accept within ${INVITATION_TTL_DAYS} days: ${url}`,
      url,
      tenantId: principal.tenant?.id ?? null,
      userId: null,
    });
    return { invitationId: invitation.id, url };
  }

  async revokeInvitation(db: TenantDb, actor: Actor, invitationId: string): Promise<boolean> {
    return db.transaction(async (tx) => {
      const { count } = await tx.invitation.updateMany({
        where: { id: invitationId, acceptedAt: null, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      if (count === 0) return false;
      await recordAudit(tx, {
        action: AuditAction.INVITATION_REVOKED,
        actor,
        targetType: "Invitation",
        targetId: invitationId,
      });
      return true;
    });
  }

  /** Changes a member's role; only owners give or take ownership, and a tenant keeps one owner at least. */
  async changeRole(db: TenantDb, principal: Principal, membershipId: string, role: UserRole) {
    const membership = await db.transaction(async (tx) => {
      const member = await tx.membership.findUnique({ where: { id: membershipId } });
      if (!member)
        throw new IdentityError(
          problem(["input", "memberId"], IdentityErrorCode.NOT_FOUND, "No such member"),
        );
      this.assertMayGrant(principal, role, ["input", "role"]);
      this.assertMayTouch(principal, member.role, ["input", "memberId"]);
      if (member.role === "OWNER" && role !== "OWNER") await this.assertAnotherOwner(tx, member.id);
      const updated = await tx.membership.update({ where: { id: member.id }, data: { role } });
      await recordAudit(tx, {
        action: AuditAction.MEMBER_ROLE_CHANGED,
        actor: { type: principal.kind, id: principal.id },
        targetType: "User",
        targetId: member.userId,
        details: { from: member.role, to: role },
      });
      return updated;
    });
    this.authenticator.forget({ userId: membership.userId });
    return membership;
  }

  /** Removes a member from the tenant (their account stays, for their other tenants). */
  async removeMember(db: TenantDb, principal: Principal, membershipId: string) {
    const removed = await db.transaction(async (tx) => {
      const member = await tx.membership.findUnique({ where: { id: membershipId } });
      if (!member)
        throw new IdentityError(problem(["memberId"], IdentityErrorCode.NOT_FOUND, "No such member"));
      const self = principal.kind === "USER" && member.userId === principal.id;
      if (!self) this.assertMayTouch(principal, member.role, ["memberId"]);
      if (member.role === "OWNER") await this.assertAnotherOwner(tx, member.id);
      await tx.membership.delete({ where: { id: member.id } });
      await recordAudit(tx, {
        action: AuditAction.MEMBER_REMOVED,
        actor: { type: principal.kind, id: principal.id },
        targetType: "User",
        targetId: member.userId,
        details: { role: member.role },
      });
      return member;
    });
    this.authenticator.forget({ userId: removed.userId });
    return removed;
  }

  /**
   * Creates a partner API key with chosen scopes (at most the creator's own) and an optional expiry; the secret
   * is in the result only, and stored as a hash.
   */
  async createApiKey(
    db: TenantDb,
    principal: Principal,
    input: { name: string; scopes: string[]; expiresAt?: Date | null },
  ): Promise<{ id: string; secret: string }> {
    if (principal.kind !== "USER") {
      throw new IdentityError(
        problem([], IdentityErrorCode.USER_REQUIRED, "API keys are created by a signed-in owner or admin"),
      );
    }
    const problems: IdentityProblem[] = [];
    const badName = nameProblem(input.name, ["input", "name"]);
    if (badName) problems.push(badName);
    input.scopes.forEach((scope, i) => {
      if (!isScope(scope)) {
        problems.push(
          problem(["input", "scopes", String(i)], IdentityErrorCode.UNKNOWN_SCOPE, `No scope ${scope}`),
        );
      } else if (!principal.scopes.has(scope)) {
        problems.push(
          problem(
            ["input", "scopes", String(i)],
            IdentityErrorCode.SCOPE_NOT_GRANTED,
            `You do not hold ${scope}`,
          ),
        );
      }
    });
    if (input.scopes.length === 0) {
      problems.push(
        problem(["input", "scopes"], IdentityErrorCode.UNKNOWN_SCOPE, "Give the key at least one scope"),
      );
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      problems.push(
        problem(["input", "expiresAt"], IdentityErrorCode.INVALID_EXPIRY, "The expiry must be in the future"),
      );
    }
    if (problems.length > 0) throw new IdentityError(problems);
    const key = newApiKey();
    const scopes = ALL_SCOPES.filter((s) => input.scopes.includes(s));
    const created = await db.transaction(async (tx) => {
      const row = await tx.apiKey.create({
        data: {
          name: input.name.trim(),
          prefix: key.prefix,
          keyHash: key.hash,
          scopes,
          createdById: principal.id,
          expiresAt: input.expiresAt ?? null,
        },
      });
      await recordAudit(tx, {
        action: AuditAction.API_KEY_CREATED,
        actor: { type: "USER", id: principal.id },
        targetType: "ApiKey",
        targetId: row.id,
        details: { name: row.name, prefix: row.prefix, scopes, expiresAt: row.expiresAt },
      });
      return row;
    });
    return { id: created.id, secret: key.secret };
  }

  /** Revokes a key at once in this process, within seconds in the others. */
  async revokeApiKey(db: TenantDb, principal: Principal, keyId: string) {
    const revoked = await db.transaction(async (tx) => {
      const row = await tx.apiKey.findUnique({ where: { id: keyId } });
      if (!row) return null;
      if (row.revokedAt) return row;
      const updated = await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } });
      await recordAudit(tx, {
        action: AuditAction.API_KEY_REVOKED,
        actor: { type: principal.kind, id: principal.id },
        targetType: "ApiKey",
        targetId: keyId,
        details: { name: row.name, prefix: row.prefix },
      });
      return updated;
    });
    if (revoked) this.authenticator.forget({ keyHash: revoked.keyHash });
    return revoked;
  }

  /** A user's public details. */
  async user(id: string): Promise<{ id: string; email: string; name: string } | null> {
    const row = await repo.userById(this.pool, id);
    return row ? { id: row.id, email: row.email, name: row.name } : null;
  }

  async tenantOf(id: string): Promise<{ id: string; slug: string; name: string } | null> {
    const { rows } = await this.pool.query<{ id: string; slug: string; name: string }>(
      "SELECT id, slug, name FROM tenants WHERE id = $1",
      [id],
    );
    return rows[0] ?? null;
  }

  /** Creates a user with a password, or gives an existing one that password; returns the user's id. */
  async ensureUser(user: { email: string; name: string; password: string }): Promise<string> {
    const email = normalizeEmail(user.email);
    const existing = await repo.userByEmail(this.pool, email);
    if (existing?.passwordHash && (await verifyPassword(existing.passwordHash, user.password)))
      return existing.id;
    const hash = await hashPassword(user.password);
    if (existing) {
      await repo.setPassword(this.pool, existing.id, hash);
      return existing.id;
    }
    return (await repo.upsertUser(this.pool, { email, name: user.name, passwordHash: hash })).id;
  }

  /** Creates or updates a user with a password and a role in a tenant (the demo's accounts). */
  async ensureMember(
    tenantId: string,
    user: { email: string; name: string; password: string; role: UserRole },
  ) {
    const id = await this.ensureUser(user);
    await this.pool.query(
      `INSERT INTO memberships (tenant_id, user_id, role, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = EXCLUDED.role, updated_at = now()`,
      [tenantId, id, user.role],
    );
    this.authenticator.forget({ userId: id });
    return id;
  }

  private assertMayGrant(principal: Principal, role: UserRole, field: string[]) {
    if (role === "OWNER" && principal.role !== "OWNER") {
      throw new IdentityError(
        problem(field, IdentityErrorCode.ROLE_NOT_ALLOWED, "Only an owner can make an owner"),
      );
    }
    if (principal.role && !roleAtLeast(principal.role, role)) {
      throw new IdentityError(
        problem(field, IdentityErrorCode.ROLE_NOT_ALLOWED, "You cannot grant a role above your own"),
      );
    }
  }

  private assertMayTouch(principal: Principal, current: UserRole, field: string[]) {
    if (current === "OWNER" && principal.role !== "OWNER") {
      throw new IdentityError(
        problem(field, IdentityErrorCode.ROLE_NOT_ALLOWED, "Only an owner can change an owner"),
      );
    }
  }

  private async assertAnotherOwner(
    tx: Parameters<Parameters<TenantDb["transaction"]>[0]>[0],
    exceptId: string,
  ) {
    const owners = await tx.membership.count({ where: { role: "OWNER", id: { not: exceptId } } });
    if (owners === 0) {
      throw new IdentityError(
        problem(["input", "memberId"], IdentityErrorCode.LAST_OWNER, "A tenant needs at least one owner"),
      );
    }
  }
}
