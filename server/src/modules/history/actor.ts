import type { IncomingHttpHeaders } from "node:http";

/** Who made a change, as sync_history and resolutions record it. */
export interface Actor {
  type: "USER" | "API_KEY" | "JOB" | "WEBHOOK" | "SYSTEM";
  id: string | null;
}

/**
 * The caller of a request. Authentication is not enforced yet: a request carrying an API key (x-api-key) is a
 * partner, recorded by the key's 8-character prefix (never the key); anything else is a dashboard user.
 */
export function requestActor(headers: IncomingHttpHeaders): Actor {
  const key = headers["x-api-key"];
  const value = Array.isArray(key) ? key[0] : key;
  if (value) return { type: "API_KEY", id: value.slice(0, 8) };
  return { type: "USER", id: null };
}

/** How an actor reads in resolved_by and resolution.by: "USER", "API_KEY:sk_live_", "WEBHOOK:AMAZON". */
export function actorLabel(actor: Actor): string {
  return actor.id ? `${actor.type}:${actor.id}` : actor.type;
}

/** The actor a resolver records: the request's, else a dashboard user. */
export function actorOf(ctx: { actor?: Actor }): Actor {
  return ctx.actor ?? { type: "USER", id: null };
}
