import { useSyncExternalStore } from "react";
import { graphql } from "../../gql";
import { publicRequest as post } from "./public-request";

/**
 * The browser's side of a session. The access token lives in memory only (15 minutes); the refresh token is an
 * httpOnly cookie the page never sees, traded for a new access token at start, before the old one runs out and
 * whenever the server says a token is no longer good. The tenant the dashboard acts in is remembered per browser.
 */
export type Session =
  | { status: "checking" }
  | { status: "signed-out"; notice?: string }
  | { status: "signed-in"; accessToken: string; expiresAt: number };

const SignInMutation = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      accessToken
      accessTokenExpiresAt
      retryAfterSeconds
      userErrors {
        code
        message
      }
    }
  }
`);

const RefreshSessionMutation = graphql(`
  mutation RefreshSession {
    refreshSession {
      accessToken
      accessTokenExpiresAt
      userErrors {
        code
        message
      }
    }
  }
`);

const SignOutMutation = graphql(`
  mutation SignOut {
    signOut {
      ok
    }
  }
`);

/** Refresh this long before the access token runs out, so no request carries one about to expire. */
const EARLY_MS = 60_000;
const TENANT_KEY = "isync:tenant";

let session: Session = { status: "checking" };
const listeners = new Set<() => void>();
let refreshing: Promise<string | null> | null = null;

function set(next: Session) {
  session = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session {
  return useSyncExternalStore(subscribe, () => session);
}

export function currentSession(): Session {
  return session;
}

export function chosenTenant(): string | null {
  return window.localStorage.getItem(TENANT_KEY);
}

/** Acts in another of the user's tenants: the page reloads, so nothing of the last tenant stays on screen. */
export function chooseTenant(slug: string) {
  window.localStorage.setItem(TENANT_KEY, slug);
  window.location.reload();
}

export function forgetTenant() {
  window.localStorage.removeItem(TENANT_KEY);
}

function signedIn(token: string, expiresAt: string | null | undefined): Session {
  const at = expiresAt ? Date.parse(expiresAt) : Date.now() + 15 * 60_000;
  return { status: "signed-in", accessToken: token, expiresAt: at };
}

export interface SignInResult {
  ok: boolean;
  code?: string;
  message?: string;
  retryAfterSeconds?: number | null;
}

/** What every mutation that opens a session answers (signIn, acceptInvitation). */
export interface SessionPayloadLike {
  accessToken?: string | null;
  accessTokenExpiresAt?: string | null;
  retryAfterSeconds?: number | null;
  userErrors: readonly { code: string; message: string }[];
}

/** Signs in with the tokens of a SessionPayload (its refresh cookie is already set), or says why not. */
export function adoptSession(payload: SessionPayloadLike, failure = "Sign-in failed."): SignInResult {
  const error = payload.userErrors[0];
  if (error || !payload.accessToken) {
    return {
      ok: false,
      code: error?.code,
      message: error?.message ?? failure,
      retryAfterSeconds: payload.retryAfterSeconds,
    };
  }
  set(signedIn(payload.accessToken, payload.accessTokenExpiresAt));
  return { ok: true };
}

export async function signIn(email: string, password: string): Promise<SignInResult> {
  const { signIn: payload } = await post(SignInMutation, { input: { email, password } });
  return adoptSession(payload);
}

/**
 * A new access token from the refresh cookie; one request at a time however many ask. Null (and signed out)
 * when the session has ended; a network failure leaves the state alone and rejects.
 */
export function refreshAccessToken(notice?: string): Promise<string | null> {
  refreshing ??= (async () => {
    try {
      const { refreshSession: payload } = await post(RefreshSessionMutation);
      if (!payload.accessToken) {
        set({ status: "signed-out", notice: session.status === "signed-in" ? notice : undefined });
        return null;
      }
      set(signedIn(payload.accessToken, payload.accessTokenExpiresAt));
      return payload.accessToken;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** At start: a session the refresh cookie still holds, or the sign-in page. */
export async function restoreSession() {
  try {
    await refreshAccessToken();
  } catch (error) {
    set({ status: "signed-out", notice: (error as Error).message });
  }
}

/** The token to send now, refreshed first when it is about to run out; null when signed out. */
export async function freshAccessToken(): Promise<string | null> {
  if (session.status !== "signed-in") return null;
  if (session.expiresAt - Date.now() > EARLY_MS) return session.accessToken;
  return refreshAccessToken("Your session ended. Sign in again.");
}

export function tokenExpiresSoon(): boolean {
  return session.status === "signed-in" && session.expiresAt - Date.now() <= EARLY_MS;
}

export async function signOut() {
  try {
    await post(SignOutMutation);
  } finally {
    set({ status: "signed-out", notice: "You are signed out." });
  }
}

/** The server refused the token (revoked, expired, membership removed): try the cookie once, else sign in. */
export function sessionRejected() {
  return refreshAccessToken("Your session ended. Sign in again.");
}
