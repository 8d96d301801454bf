import type { FastifyReply } from "fastify";
import type { SandboxRuntime } from "../sandbox.runtime";
import type { AmazonListing } from "../sandbox.state";
import type { ChangeEffects } from "./listing-mutations";
import { fbaAvailabilityChange, issuesChange, mfnQuantityChange, statusChange } from "./notifications";

export type Query = Record<string, string | string[] | undefined>;

export function csv(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(","));
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Sends an SP-API error list (`errors[] { code, message, details }`, the models' ErrorList). */
export function amazonError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details?: string,
): FastifyReply {
  return reply.code(status).send({ errors: [{ code, message, ...(details ? { details } : {}) }] });
}

export function encodeToken(payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(payload)).toString("base64url");
}

export function decodeToken(token: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Counts the API writes of a change and emits the notifications Amazon sends for it. */
export function emitEffects(rt: SandboxRuntime, listing: AmazonListing, effects: ChangeEffects): void {
  for (const field of effects.fields ?? []) rt.state.countWrite("amazon", listing.sku, field);
  const { sellerId } = rt.config;
  const home = rt.state.home;
  const now = rt.now();
  if (effects.quantityChanged) {
    rt.emit(
      listing.channel === "FBM"
        ? mfnQuantityChange(sellerId, listing, now)
        : fbaAvailabilityChange(sellerId, home, listing, now),
    );
  }
  if (effects.statusChanged) rt.emit(statusChange(sellerId, home, listing, now));
  if (effects.issuesChanged) rt.emit(issuesChange(sellerId, home, listing, now));
}

/** Applies an accepted change after the platform's processing delay and emits what Amazon would emit. */
export function scheduleApply(
  rt: SandboxRuntime,
  listing: AmazonListing,
  apply: () => ChangeEffects,
  delayMs: number,
): void {
  const run = () => {
    const effects = apply();
    rt.state.touch();
    emitEffects(rt, listing, effects);
  };
  if (delayMs <= 0) run();
  else rt.later(delayMs, run);
}
