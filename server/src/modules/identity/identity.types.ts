import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { UserRole } from "../../generated/prisma/enums";
import { UserError } from "../../graphql/errors";
import { DateTimeScalar } from "../../graphql/scalars";
import { Scope } from "../../platform/auth/scopes";

registerEnumType(UserRole, {
  name: "UserRole",
  description:
    "OWNER: everything, ownership included. ADMIN: everything but ownership (team, keys, settings, credentials). " +
    "EDITOR: inventory, bulk updates, syncs, conflicts and alerts. VIEWER: reads only.",
});
registerEnumType(Scope, {
  name: "AccessScope",
  description: "What a role grants and an API key is given; every root field names the one it needs.",
});

export enum PrincipalKind {
  USER = "USER",
  API_KEY = "API_KEY",
}
registerEnumType(PrincipalKind, { name: "PrincipalKind" });

export enum ApiKeyStatus {
  ACTIVE = "ACTIVE",
  EXPIRED = "EXPIRED",
  REVOKED = "REVOKED",
}
registerEnumType(ApiKeyStatus, { name: "ApiKeyStatus" });

@ObjectType({ description: "A person who signs in to the dashboard." })
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  /** Resolved with an access check: the user's own, or with read_team. */
  email!: string;
}

@ObjectType({ description: "A seller account: every row belongs to one." })
export class Tenant {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  slug!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType({ description: "One of the signed-in user's tenants and their role in it." })
export class Membership {
  @Field(() => ID)
  id!: string;

  @Field(() => Tenant)
  tenant!: Tenant;

  @Field(() => UserRole)
  role!: UserRole;
}

@ObjectType({ description: "A partner API key. Its secret was shown once, when it was created." })
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "The key's first characters, to recognise it (e.g. isk_Ab12Cd34)." })
  prefix!: string;

  @Field(() => [Scope])
  scopes!: Scope[];

  @Field(() => ApiKeyStatus)
  status!: ApiKeyStatus;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: "To the minute." })
  lastUsedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  revokedAt!: Date | null;

  createdById!: string | null;
}

@ObjectType({ description: "Who is calling: a signed-in user in one of their tenants, or an API key." })
export class Viewer {
  @Field(() => PrincipalKind)
  kind!: PrincipalKind;

  @Field(() => User, { nullable: true, description: "The signed-in user; null for an API key." })
  user!: User | null;

  @Field(() => ApiKey, { nullable: true, description: "The API key; null for a signed-in user." })
  apiKey!: ApiKey | null;

  @Field(() => Tenant, { nullable: true, description: "The tenant this request acts in." })
  tenant!: Tenant | null;

  @Field(() => UserRole, { nullable: true, description: "The user's role in that tenant." })
  role!: UserRole | null;

  @Field(() => [Scope], { description: "What this request may do in that tenant." })
  scopes!: Scope[];

  @Field(() => [Membership], { description: "Every tenant the user belongs to (pick one with x-tenant)." })
  memberships!: Membership[];
}

@ObjectType({ description: "A member of the tenant's team." })
export class TeamMember {
  @Field(() => ID)
  id!: string;

  @Field(() => User)
  user!: User;

  @Field(() => UserRole)
  role!: UserRole;

  @Field(() => DateTimeScalar)
  joinedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  lastSignInAt!: Date | null;
}

@ObjectType({ description: "An invitation to join the team that has not been accepted yet." })
export class Invitation {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => UserRole)
  role!: UserRole;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  expiresAt!: Date;
}

@InputType()
export class SignInInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;
}

@ObjectType({
  description:
    "A session's access token (send it as `Authorization: Bearer`; it lives 15 minutes). The refresh token " +
    "is set as an httpOnly cookie; refreshSession trades it for a new access token.",
})
export class SessionPayload {
  @Field(() => String, { nullable: true })
  accessToken!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  accessTokenExpiresAt!: Date | null;

  @Field(() => Int, { nullable: true, description: "With SIGN_IN_LOCKED: seconds until another try." })
  retryAfterSeconds!: number | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class OkPayload {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class ChangePasswordInput {
  @Field(() => String)
  currentPassword!: string;

  @Field(() => String)
  newPassword!: string;
}

@InputType()
export class ResetPasswordInput {
  @Field(() => String, { description: "The token from the reset link." })
  token!: string;

  @Field(() => String)
  password!: string;
}

@InputType()
export class AcceptInvitationInput {
  @Field(() => String, { description: "The token from the invitation link." })
  token!: string;

  @Field(() => String, { nullable: true, description: "Your name, for a new account." })
  name?: string | null;

  @Field(() => String, { description: "A new password, or your account's password if you have one." })
  password!: string;
}

@InputType()
export class InviteMemberInput {
  @Field(() => String)
  email!: string;

  @Field(() => UserRole)
  role!: UserRole;
}

@ObjectType()
export class InviteMemberPayload {
  @Field(() => Invitation, { nullable: true })
  invitation!: Invitation | null;

  @Field(() => String, {
    nullable: true,
    description: "The one-time sign-up link, shown only here; it is also sent when email is configured.",
  })
  signUpUrl!: string | null;

  @Field(() => Boolean, { description: "Whether the link was also sent to the address by email." })
  emailed!: boolean;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class UpdateMemberRoleInput {
  @Field(() => ID)
  memberId!: string;

  @Field(() => UserRole)
  role!: UserRole;
}

@ObjectType()
export class TeamMemberPayload {
  @Field(() => TeamMember, { nullable: true })
  member!: TeamMember | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class RemoveMemberPayload {
  @Field(() => ID, { nullable: true })
  removedMemberId!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String, { description: "A label, e.g. the partner's name." })
  name!: string;

  @Field(() => [Scope], { description: "At most the scopes you hold yourself." })
  scopes!: Scope[];

  @Field(() => DateTimeScalar, { nullable: true, description: "When the key stops working; never if null." })
  expiresAt?: Date | null;
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKey, { nullable: true })
  apiKey!: ApiKey | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The key itself (isk_…): shown this once, stored only as a hash. Send it as `Authorization: Bearer`.",
  })
  secret!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class ApiKeyPayload {
  @Field(() => ApiKey, { nullable: true })
  apiKey!: ApiKey | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class InvitationPayload {
  @Field(() => Invitation, { nullable: true })
  invitation!: Invitation | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
