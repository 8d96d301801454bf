import { GraphQLError } from "graphql";
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { Authenticated, accessDenied, Public, RequireScope } from "../../graphql/access";
import type { Context } from "../../graphql/context";
import { ErrorCode, type UserError } from "../../graphql/errors";
import { expectGlobalId, toGlobalId } from "../../graphql/global-id";
import { ALL_SCOPES, Scope } from "../../platform/auth/scopes";
import { RateLimitedError } from "../../platform/rate-buckets";
import { IdentityError } from "./identity.errors";
import type { SessionTokens } from "./identity.service";
import {
  AcceptInvitationInput,
  ApiKey,
  ApiKeyPayload,
  ChangePasswordInput,
  CreateApiKeyInput,
  CreateApiKeyPayload,
  Invitation,
  InvitationPayload,
  InviteMemberInput,
  InviteMemberPayload,
  OkPayload,
  PrincipalKind,
  RemoveMemberPayload,
  ResetPasswordInput,
  SessionPayload,
  SignInInput,
  TeamMember,
  TeamMemberPayload,
  UpdateMemberRoleInput,
  User,
  Viewer,
} from "./identity.types";
import { clearSessionCookie, sessionCookie, setSessionCookie } from "./session-cookie";
import { apiKey, apiKeys, pendingInvitations, teamMember, teamMembers } from "./team.repository";

/** Runs an identity operation; its refusals become userErrors, a rate limit becomes THROTTLED (HTTP 429). */
async function attempt<T>(
  fn: () => Promise<T>,
): Promise<
  | { value: T; userErrors: UserError[]; retryAfterSeconds: null }
  | { value: null; userErrors: UserError[]; retryAfterSeconds: number | null }
> {
  try {
    return { value: await fn(), userErrors: [], retryAfterSeconds: null };
  } catch (error) {
    if (error instanceof RateLimitedError) {
      throw new GraphQLError(error.message, {
        extensions: {
          code: ErrorCode.THROTTLED,
          http: { status: 429, headers: new Map([["retry-after", String(error.retryAfterSeconds)]]) },
        },
      });
    }
    if (!(error instanceof IdentityError)) throw error;
    return { value: null, userErrors: error.problems, retryAfterSeconds: error.retryAfterSeconds ?? null };
  }
}

function sessionPayload(
  ctx: Context,
  result: Awaited<ReturnType<typeof attempt<SessionTokens>>>,
): SessionPayload {
  if (result.value) setSessionCookie(ctx, result.value);
  return {
    accessToken: result.value?.accessToken ?? null,
    accessTokenExpiresAt: result.value?.accessTokenExpiresAt ?? null,
    retryAfterSeconds: result.retryAfterSeconds,
    userErrors: result.userErrors,
  };
}

const sessionEnded: UserError = {
  field: [],
  code: "SESSION_ENDED",
  message: "No session to refresh: sign in again",
};

@Resolver()
export class IdentityResolver {
  @Public()
  @Mutation(() => SessionPayload, {
    description:
      "Signs in with an email and a password: the access token in the payload, the refresh token in an " +
      "httpOnly cookie. A wrong email or password gets one answer (INVALID_CREDENTIALS); repeated failures " +
      "lock the account and the address for a while (SIGN_IN_LOCKED, retryAfterSeconds).",
  })
  async signIn(
    @Arg("input", () => SignInInput) input: SignInInput,
    @Ctx() ctx: Context,
  ): Promise<SessionPayload> {
    return sessionPayload(ctx, await attempt(() => ctx.services.identity.signIn(input, ctx.client)));
  }

  @Public()
  @Mutation(() => SessionPayload, {
    description:
      "Trades the refresh cookie for a new access token and a new refresh cookie. A refresh token used twice " +
      "ends its whole session (someone holds a copy).",
  })
  async refreshSession(@Ctx() ctx: Context): Promise<SessionPayload> {
    const token = sessionCookie(ctx);
    const tokens = token ? await ctx.services.identity.refresh(token, ctx.client) : null;
    if (!tokens) {
      clearSessionCookie(ctx);
      return {
        accessToken: null,
        accessTokenExpiresAt: null,
        retryAfterSeconds: null,
        userErrors: [sessionEnded],
      };
    }
    setSessionCookie(ctx, tokens);
    return {
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: tokens.accessTokenExpiresAt,
      retryAfterSeconds: null,
      userErrors: [],
    };
  }

  @Public()
  @Mutation(() => OkPayload, {
    description: "Ends the session of the refresh cookie (or of the access token).",
  })
  async signOut(@Ctx() ctx: Context): Promise<OkPayload> {
    const ok = await ctx.services.identity.signOut(
      { refreshToken: sessionCookie(ctx), sessionId: ctx.auth?.sessionId },
      ctx.client,
    );
    clearSessionCookie(ctx);
    return { ok, userErrors: [] };
  }

  @Public()
  @Mutation(() => OkPayload, {
    description: "Sends a password-reset link if the address has an account; answers the same either way.",
  })
  async requestPasswordReset(
    @Arg("email", () => String) email: string,
    @Ctx() ctx: Context,
  ): Promise<OkPayload> {
    const result = await attempt(() => ctx.services.identity.requestPasswordReset(email, ctx.client));
    return { ok: result.userErrors.length === 0, userErrors: result.userErrors };
  }

  @Public()
  @Mutation(() => OkPayload, {
    description: "Chooses a new password from a reset link; every session of the user ends.",
  })
  async resetPassword(
    @Arg("input", () => ResetPasswordInput) input: ResetPasswordInput,
    @Ctx() ctx: Context,
  ): Promise<OkPayload> {
    const result = await attempt(() => ctx.services.identity.resetPassword(input, ctx.client));
    return { ok: result.userErrors.length === 0, userErrors: result.userErrors };
  }

  @Public()
  @Mutation(() => SessionPayload, {
    description:
      "Joins a team through an invitation link and signs in (a new account, or your existing one).",
  })
  async acceptInvitation(
    @Arg("input", () => AcceptInvitationInput) input: AcceptInvitationInput,
    @Ctx() ctx: Context,
  ): Promise<SessionPayload> {
    return sessionPayload(
      ctx,
      await attempt(() => ctx.services.identity.acceptInvitation(input, ctx.client)),
    );
  }

  @Authenticated()
  @Mutation(() => OkPayload, { description: "Changes your password; your other sessions end." })
  async changePassword(
    @Arg("input", () => ChangePasswordInput) input: ChangePasswordInput,
    @Ctx() ctx: Context,
  ): Promise<OkPayload> {
    if (ctx.auth?.kind !== "USER") {
      return {
        ok: false,
        userErrors: [{ field: [], code: "USER_REQUIRED", message: "API keys have no password" }],
      };
    }
    const principal = ctx.auth;
    const result = await attempt(() => ctx.services.identity.changePassword(principal, input));
    return { ok: result.userErrors.length === 0, userErrors: result.userErrors };
  }

  @Authenticated()
  @Query(() => Viewer, { description: "Who is calling, in which tenant, with which role and scopes." })
  async viewer(@Ctx() ctx: Context): Promise<Viewer> {
    const principal = ctx.auth!;
    const scopes = ALL_SCOPES.filter((s) => principal.scopes.has(s));
    if (principal.kind === "API_KEY") {
      const tenant = await ctx.services.identity.tenantOf(principal.tenant!.id);
      return {
        kind: PrincipalKind.API_KEY,
        user: null,
        apiKey: await apiKey(ctx.db, principal.id),
        tenant: tenant ? { ...tenant, id: toGlobalId("Tenant", tenant.id) } : null,
        role: null,
        scopes,
        memberships: [],
      };
    }
    const memberships = await ctx.services.authenticator.membershipsOf(principal.id);
    const user = await ctx.services.identity.user(principal.id);
    const tenantOf = (m: (typeof memberships)[number]) => ({
      id: toGlobalId("Tenant", m.tenantId),
      slug: m.slug,
      name: m.tenantName,
    });
    const current = memberships.find((m) => m.tenantId === principal.tenant?.id);
    return {
      kind: PrincipalKind.USER,
      user: user ? { id: user.id, name: user.name, email: user.email } : null,
      apiKey: null,
      tenant: current ? tenantOf(current) : null,
      role: principal.role,
      scopes,
      memberships: memberships.map((m) => ({
        id: toGlobalId("Membership", m.id),
        tenant: tenantOf(m),
        role: m.role,
      })),
    };
  }
}

@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => ID)
  id(@Root() user: User) {
    return toGlobalId("User", user.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "Visible to the user themselves, and to callers with the read_team scope.",
  })
  email(@Root() user: User, @Ctx() ctx: Context): string {
    const self = ctx.auth?.kind === "USER" && ctx.auth.id === user.id;
    if (!self) {
      const denied = accessDenied({ kind: "scope", scope: Scope.read_team }, ctx.auth);
      if (denied) throw denied;
    }
    return user.email;
  }
}

@Resolver(() => TeamMember)
export class TeamResolver {
  @RequireScope(Scope.read_team)
  @Query(() => [TeamMember], { description: "The tenant's team, oldest member first." })
  teamMembers(@Ctx() ctx: Context): Promise<TeamMember[]> {
    return teamMembers(ctx.db);
  }

  @RequireScope(Scope.read_team)
  @Query(() => [Invitation], { description: "Invitations not yet accepted, newest first." })
  invitations(@Ctx() ctx: Context): Promise<Invitation[]> {
    return pendingInvitations(ctx.db);
  }

  @RequireScope(Scope.write_team)
  @Mutation(() => InviteMemberPayload, {
    description:
      "Invites an address to the team with a role; returns the one-time sign-up link. Only owners invite owners.",
  })
  async inviteMember(
    @Arg("input", () => InviteMemberInput) input: InviteMemberInput,
    @Ctx() ctx: Context,
  ): Promise<InviteMemberPayload> {
    const result = await attempt(() => ctx.services.identity.invite(ctx.db, ctx.auth!, input));
    if (!result.value)
      return { invitation: null, signUpUrl: null, emailed: false, userErrors: result.userErrors };
    const invitation =
      (await pendingInvitations(ctx.db)).find((i) => i.id === result.value!.invitationId) ?? null;
    return {
      invitation,
      signUpUrl: result.value.url,
      emailed: ctx.services.identity.emailsLinks,
      userErrors: [],
    };
  }

  @RequireScope(Scope.write_team)
  @Mutation(() => InvitationPayload, { description: "Withdraws an invitation; its link stops working." })
  async revokeInvitation(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<InvitationPayload> {
    const invitationId = expectGlobalId(id, "Invitation");
    const pending = (await pendingInvitations(ctx.db)).find((i) => i.id === invitationId) ?? null;
    const revoked = pending
      ? await ctx.services.identity.revokeInvitation(ctx.db, ctx.actor, invitationId)
      : false;
    if (!revoked) {
      return {
        invitation: null,
        userErrors: [{ field: ["id"], code: "NOT_FOUND", message: "No pending invitation with that id" }],
      };
    }
    return { invitation: pending, userErrors: [] };
  }

  @RequireScope(Scope.write_team)
  @Mutation(() => TeamMemberPayload, {
    description:
      "Changes a member's role. Only owners give or take ownership; a tenant keeps at least one owner.",
  })
  async updateMemberRole(
    @Arg("input", () => UpdateMemberRoleInput) input: UpdateMemberRoleInput,
    @Ctx() ctx: Context,
  ): Promise<TeamMemberPayload> {
    const id = expectGlobalId(input.memberId, "TeamMember");
    const result = await attempt(() => ctx.services.identity.changeRole(ctx.db, ctx.auth!, id, input.role));
    if (!result.value) return { member: null, userErrors: result.userErrors };
    return { member: await teamMember(ctx.db, id), userErrors: [] };
  }

  @RequireScope(Scope.write_team)
  @Mutation(() => RemoveMemberPayload, {
    description: "Removes a member from the team (their account stays, for their other tenants).",
  })
  async removeMember(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<RemoveMemberPayload> {
    const membershipId = expectGlobalId(id, "TeamMember");
    const result = await attempt(() => ctx.services.identity.removeMember(ctx.db, ctx.auth!, membershipId));
    return result.value
      ? { removedMemberId: id, userErrors: [] }
      : { removedMemberId: null, userErrors: result.userErrors };
  }

  @FieldResolver(() => ID)
  id(@Root() member: TeamMember) {
    return toGlobalId("TeamMember", member.id);
  }
}

@Resolver(() => Invitation)
export class InvitationResolver {
  @FieldResolver(() => ID)
  id(@Root() invitation: Invitation) {
    return toGlobalId("Invitation", invitation.id);
  }
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @RequireScope(Scope.read_api_keys)
  @Query(() => [ApiKey], {
    description: "The tenant's partner API keys, newest first, revoked ones included.",
  })
  apiKeys(@Ctx() ctx: Context): Promise<ApiKey[]> {
    return apiKeys(ctx.db);
  }

  @RequireScope(Scope.write_api_keys)
  @Mutation(() => CreateApiKeyPayload, {
    description:
      "Creates a partner API key with chosen scopes (at most your own) and an optional expiry. The secret is " +
      "in this payload only. Signed-in owners and admins only.",
  })
  async createApiKey(
    @Arg("input", () => CreateApiKeyInput) input: CreateApiKeyInput,
    @Ctx() ctx: Context,
  ): Promise<CreateApiKeyPayload> {
    const result = await attempt(() => ctx.services.identity.createApiKey(ctx.db, ctx.auth!, input));
    if (!result.value) return { apiKey: null, secret: null, userErrors: result.userErrors };
    return { apiKey: await apiKey(ctx.db, result.value.id), secret: result.value.secret, userErrors: [] };
  }

  @RequireScope(Scope.write_api_keys)
  @Mutation(() => ApiKeyPayload, {
    description: "Revokes a key: refused at once here, within seconds everywhere.",
  })
  async revokeApiKey(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<ApiKeyPayload> {
    const revoked = await ctx.services.identity.revokeApiKey(ctx.db, ctx.auth!, expectGlobalId(id, "ApiKey"));
    if (!revoked)
      return { apiKey: null, userErrors: [{ field: ["id"], code: "NOT_FOUND", message: "No such API key" }] };
    return { apiKey: await apiKey(ctx.db, revoked.id), userErrors: [] };
  }

  @FieldResolver(() => ID)
  id(@Root() key: ApiKey) {
    return toGlobalId("ApiKey", key.id);
  }

  @FieldResolver(() => User, { nullable: true, description: "Who created the key." })
  createdBy(@Root() key: ApiKey, @Ctx() ctx: Context) {
    return key.createdById ? ctx.loaders.userById.load(key.createdById) : null;
  }
}
