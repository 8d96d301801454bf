import { errors, jwtVerify, SignJWT } from "jose";

/** Access tokens live 15 minutes; the refresh cookie renews them. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = "inventory-sync";
const AUDIENCE = "inventory-sync-api";

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

/** Short-lived JWTs (HS256) naming a user and the session they belong to; the session is checked per request. */
export class AccessTokens {
  constructor(private readonly key: Uint8Array) {
    if (key.length < 32) throw new Error("The access-token key must be at least 32 bytes");
  }

  async sign(claims: AccessClaims, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = new Date((issuedAt + ACCESS_TOKEN_TTL_SECONDS) * 1000);
    const token = await new SignJWT({ sid: claims.sessionId })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  /** The claims of a valid, unexpired token; "expired" or "invalid" otherwise (never throws). */
  async verify(token: string): Promise<AccessClaims | "expired" | "invalid"> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ["HS256"],
      });
      if (typeof payload.sub !== "string" || typeof payload.sid !== "string") return "invalid";
      return { userId: payload.sub, sessionId: payload.sid };
    } catch (error) {
      return error instanceof errors.JWTExpired ? "expired" : "invalid";
    }
  }
}
