import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { useSyncExternalStore } from "react";
import { GRAPHQL_PATH } from "../../app/graphql-path";
import { graphql } from "../../gql";

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

export class SessionRequestError extends Error {}

/** One session mutation over plain HTTP: these run before (and beside) the GraphQL client. */
async function post<R, V>(document: TypedDocumentNode<R, V>, variables?: V): Promise<R> {
  let res: Response;
  try {
    res = await fetch(GRAPHQL_PATH, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: print(document), variables }),
    });
  } catch {
    throw new SessionRequestError("The server cannot be reached. Check your connection and try again.");
  }
  const body = (await res.json().catch(() => null)) as { data?: R; errors?: { message: string }[] } | null;
  if (!body?.data) {
    const reason = body?.errors?.[0]?.message ?? `The server answered ${res.status}.`;
    throw new SessionRequestError(reason);
  }
  return body.data;
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

export async function signIn(email: string, password: string): Promise<SignInResult> {
  const { signIn: payload } = await post(SignInMutation, { input: { email, password } });
  const error = payload.userErrors[0];
  if (error || !payload.accessToken) {
    return {
      ok: false,
      code: error?.code,
      message: error?.message ?? "Sign-in failed.",
      retryAfterSeconds: payload.retryAfterSeconds,
    };
  }
  set(signedIn(payload.accessToken, payload.accessTokenExpiresAt));
  return { ok: true };
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
