export { AccessTokens } from "./access-tokens";
export { Authenticator, type AuthOutcome } from "./authenticator";
export { demoPassword, ensureDemoAccounts, ensureDemoOwner } from "./demo";
export { IdentityErrorCode } from "./identity.errors";
export {
  ApiKeyResolver,
  IdentityResolver,
  InvitationResolver,
  TeamResolver,
  UserResolver,
} from "./identity.resolver";
export { type ClientInfo, IdentityService, type LinkDelivery, type SessionTokens } from "./identity.service";
export { User } from "./identity.types";
export { REFRESH_COOKIE } from "./session-cookie";
export { createUserLoader } from "./team.repository";
