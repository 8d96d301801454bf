/** Codes the identity module answers with, in userErrors or as GraphQL errors' extensions.code. */
export const IdentityErrorCode = {
  /** The email or the password is wrong (never saying which). */
  INVALID_CREDENTIALS: "INVALID_CREDENTIALS",
  /** Too many failed sign-ins for this account or from this address; retry after the given seconds. */
  SIGN_IN_LOCKED: "SIGN_IN_LOCKED",
  /** No session to refresh: the cookie is missing, unknown, reused (and the session revoked) or expired. */
  SESSION_ENDED: "SESSION_ENDED",
  /** An invitation or password-reset link that is unknown, used, revoked or expired. */
  INVALID_TOKEN: "INVALID_TOKEN",
  INVALID_PASSWORD: "INVALID_PASSWORD",
  INVALID_EMAIL: "INVALID_EMAIL",
  INVALID_NAME: "INVALID_NAME",
  INVALID_EXPIRY: "INVALID_EXPIRY",
  /** The caller may not give or take this role (only owners touch owners). */
  ROLE_NOT_ALLOWED: "ROLE_NOT_ALLOWED",
  /** A tenant keeps at least one owner. */
  LAST_OWNER: "LAST_OWNER",
  ALREADY_MEMBER: "ALREADY_MEMBER",
  /** A key may only get scopes its creator holds. */
  SCOPE_NOT_GRANTED: "SCOPE_NOT_GRANTED",
  UNKNOWN_SCOPE: "UNKNOWN_SCOPE",
  /** Managing API keys is for signed-in owners and admins, not for keys. */
  USER_REQUIRED: "USER_REQUIRED",
  NOT_FOUND: "NOT_FOUND",
} as const;
export type IdentityErrorCode = (typeof IdentityErrorCode)[keyof typeof IdentityErrorCode];

export interface IdentityProblem {
  field: string[];
  code: IdentityErrorCode;
  message: string;
}

/** A refusal from the identity module: one or more problems, and for throttling, when to retry. */
export class IdentityError extends Error {
  readonly problems: IdentityProblem[];

  constructor(
    problems: IdentityProblem | IdentityProblem[],
    readonly retryAfterSeconds?: number,
  ) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list[0]?.message ?? "Refused");
    this.problems = list;
  }
}
