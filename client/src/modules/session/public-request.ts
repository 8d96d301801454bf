import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { GRAPHQL_PATH } from "../../app/graphql-path";

export class SessionRequestError extends Error {}

/**
 * One GraphQL operation over plain HTTP, without a token: the session's own mutations and the pages shown before
 * sign-in (accepting an invitation, resetting a password) run before and beside the GraphQL client.
 */
export async function publicRequest<R, V>(document: TypedDocumentNode<R, V>, variables?: V): Promise<R> {
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
