import type { Principal } from "./principal";

/** Who made a change, as history, resolutions and the audit log record it. */
export interface Actor {
  type: "USER" | "API_KEY" | "JOB" | "WEBHOOK" | "SYSTEM";
  /** The user's or API key's id, the job's id, the platform of a webhook; null for the system. */
  id: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: "SYSTEM", id: null };

/** The actor a request's changes are recorded under: its user or API key, by id. */
export function actorOf(principal: Principal | null): Actor {
  if (!principal) return SYSTEM_ACTOR;
  return { type: principal.kind, id: principal.id };
}

/** How an actor reads in resolved_by and resolution.by: "USER:<id>", "API_KEY:<id>", "WEBHOOK:AMAZON". */
export function actorLabel(actor: Actor): string {
  return actor.id ? `${actor.type}:${actor.id}` : actor.type;
}
