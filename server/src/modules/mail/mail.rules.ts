/** Longest last error kept: enough for an SMTP reply line. */
const MAX_ERROR = 300;

/**
 * What the delivery log may say about a failed attempt: the SMTP reply or the error's first line, without the
 * credentials of any URL (`smtp://user:secret@host`), without links (a refused message's reply may quote its
 * one-time link), without `key=value` secrets and without a stack.
 */
export function sanitizeMailError(error: unknown): string {
  const e = (error ?? {}) as {
    message?: unknown;
    response?: unknown;
    responseCode?: unknown;
    code?: unknown;
  };
  const reply = typeof e.response === "string" && e.response.trim() ? e.response : undefined;
  const message = reply ?? (typeof e.message === "string" ? e.message : String(error));
  const firstLine =
    message
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l && !/^at\s/.test(l)) ?? "";
  let text = firstLine
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, "$1***@")
    .replace(/\bhttps?:\/\/\S+/gi, "[link]")
    .replace(/\b(pass(?:word)?|pwd|secret|token|auth|key)\b(\s*[=:]\s*)\S+/gi, "$1$2***")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\u0000-\u001f\u007f]/g, " ");
  const code = typeof e.code === "string" && /^E[A-Z]{2,20}$/.test(e.code) ? e.code : undefined;
  if (code && !text.includes(code)) text = `${code}: ${text}`;
  if (typeof e.responseCode === "number" && !text.includes(String(e.responseCode))) {
    text = `${e.responseCode} ${text}`;
  }
  text = text.trim() || "The mail server did not accept the message";
  return text.length > MAX_ERROR ? `${text.slice(0, MAX_ERROR - 1)}…` : text;
}

/** `kim@shop.test` as `k***@shop.test`: enough to tell addresses apart, not enough to read one. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return "***";
  return `${address[0]}***${address.slice(at)}`;
}
