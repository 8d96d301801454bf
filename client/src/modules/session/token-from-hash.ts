/** The token of a link like /accept-invitation#token=…: in the fragment, so it never reaches a server log. */
export function tokenFromHash(hash = window.location.hash): string | null {
  return new URLSearchParams(hash.replace(/^#/, "")).get("token");
}
