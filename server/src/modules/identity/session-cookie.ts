import type { Context } from "../../graphql/context";
import type { SessionTokens } from "./identity.service";

/** The httpOnly cookie that carries a session's refresh token; sent only to the GraphQL path. */
export const REFRESH_COOKIE = "isync_refresh";
const PATH = "/graphql";

export function setSessionCookie(ctx: Context, tokens: SessionTokens) {
  ctx.http?.reply.setCookie(REFRESH_COOKIE, tokens.refreshToken, {
    httpOnly: true,
    sameSite: "strict",
    secure: ctx.http.secure,
    path: PATH,
    expires: tokens.refreshTokenExpiresAt,
  });
}

export function clearSessionCookie(ctx: Context) {
  ctx.http?.reply.clearCookie(REFRESH_COOKIE, {
    httpOnly: true,
    sameSite: "strict",
    secure: ctx.http.secure,
    path: PATH,
  });
}

export function sessionCookie(ctx: Context): string | undefined {
  return ctx.http?.cookies[REFRESH_COOKIE];
}
