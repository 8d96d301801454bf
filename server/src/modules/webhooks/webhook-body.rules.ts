import { refuse, WebhookErrorCode, type WebhookRefusal } from "./webhook.errors";

/** Largest webhook body accepted; marketplace notifications are a few kilobytes. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;
/** Deepest nesting of objects and arrays accepted; notifications nest about five levels. */
export const MAX_WEBHOOK_DEPTH = 32;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Checks JSON text before it is parsed, in one pass without recursion: nesting at most `maxDepth`, no NUL
 * (raw or escaped) and no lone surrogate escapes, which PostgreSQL's jsonb cannot store.
 */
export function checkJsonText(text: string, maxDepth = MAX_WEBHOOK_DEPTH): WebhookRefusal | null {
  let depth = 0;
  let inString = false;
  // A \uD800-\uDBFF escape waiting for its low half.
  let pendingHigh = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return refuse(400, WebhookErrorCode.NUL_CHARACTER, "The body contains a NUL character");
    if (inString) {
      if (c === 0x5c /* \ */) {
        const next = text.charCodeAt(i + 1);
        if (next === 0x75 /* u */) {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            return refuse(400, WebhookErrorCode.MALFORMED_PAYLOAD, "The body is not JSON");
          }
          const unit = Number.parseInt(hex, 16);
          if (unit === 0) return refuse(400, WebhookErrorCode.NUL_CHARACTER, "The body contains \\u0000");
          const high = unit >= 0xd800 && unit <= 0xdbff;
          const low = unit >= 0xdc00 && unit <= 0xdfff;
          if ((pendingHigh && !low) || (!pendingHigh && low)) return loneSurrogate();
          pendingHigh = high;
          i += 5;
          continue;
        }
        if (pendingHigh) return loneSurrogate();
        i++;
        continue;
      }
      if (pendingHigh) return loneSurrogate();
      if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > maxDepth) {
        return refuse(
          400,
          WebhookErrorCode.PAYLOAD_TOO_DEEP,
          `The body nests deeper than ${maxDepth} levels`,
        );
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return null;
}

function loneSurrogate(): WebhookRefusal {
  return refuse(400, WebhookErrorCode.LONE_SURROGATE, "The body contains a lone UTF-16 surrogate escape");
}

/** Parses JSON text that passed checkJsonText into an object (a notification is always one). */
export function parseJsonObject(text: string): { ok: true; value: Record<string, unknown> } | WebhookRefusal {
  const problem = checkJsonText(text);
  if (problem) return problem;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refuse(400, WebhookErrorCode.MALFORMED_PAYLOAD, "The body is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return refuse(400, WebhookErrorCode.MALFORMED_PAYLOAD, "The body must be a JSON object");
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** A webhook's raw bytes as checked JSON: size, strict UTF-8, then checkJsonText and parse. */
export function readJsonBody(
  raw: Buffer,
  maxBytes = MAX_WEBHOOK_BYTES,
): { ok: true; value: Record<string, unknown>; text: string } | WebhookRefusal {
  if (raw.length > maxBytes) {
    return refuse(413, WebhookErrorCode.PAYLOAD_TOO_LARGE, `The body is larger than ${maxBytes} bytes`);
  }
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return refuse(400, WebhookErrorCode.INVALID_UTF8, "The body is not valid UTF-8");
  }
  const parsed = parseJsonObject(text);
  return parsed.ok ? { ...parsed, text } : parsed;
}
