import type { UpdateErrorCode } from "../port";

/** A failed platform call after retries, with a stable code for per-item results. */
export class PlatformHttpError extends Error {
  override name = "PlatformHttpError";
  constructor(
    readonly code: UpdateErrorCode,
    message: string,
    readonly status?: number,
    readonly retryable = false,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** Longest reason a message carries from a platform's answer. */
export const MAX_REASON_LENGTH = 120;

/**
 * A platform's reason as our messages may quote it: a string field of its error, printable and on one line, cut
 * short. Never a response body: what an endpoint answers is not ours to echo (it may not be a marketplace at all).
 */
export function shortReason(text: unknown, max = MAX_REASON_LENGTH): string {
  if (typeof text !== "string") return "";
  const clean = text
    .replace(/\p{C}+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export function errorCodeForStatus(status: number): UpdateErrorCode {
  if (status === 404) return "NOT_FOUND";
  if (status === 409) return "CONFLICT";
  if (status === 401 || status === 403) return "AUTH";
  if (status === 429) return "RATE_LIMITED";
  if (status >= 500) return "UNAVAILABLE";
  if (status >= 400) return "INVALID";
  return "PLATFORM_ERROR";
}

/** Turns any thrown value into a code, a message and whether a later retry may help. */
export function describeError(error: unknown): {
  code: UpdateErrorCode;
  message: string;
  retryable: boolean;
} {
  if (error instanceof PlatformHttpError) {
    return { code: error.code, message: error.message, retryable: error.retryable };
  }
  if (error instanceof Error && error.name === "CircuitOpenError") {
    return { code: "UNAVAILABLE", message: error.message, retryable: true };
  }
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return { code: "TIMEOUT", message: error.message, retryable: true };
  }
  return {
    code: "PLATFORM_ERROR",
    message: error instanceof Error ? error.message : String(error),
    retryable: true,
  };
}
