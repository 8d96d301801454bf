import { expect } from "vitest";
import { FUZZ_TENANT, type FuzzWorld } from "./world";

// What an answer must never carry: a file path or stack frame, SQL, an ORM's or driver's message.
const LEAKS: [string, RegExp][] = [
  [
    "a file path",
    /\/(?:work|home|root|usr|opt|tmp|var|app|srv)\/[\w.-]+\/|node_modules|\b[\w-]+\.(?:ts|mjs|cjs|js):\d+/,
  ],
  ["a stack frame", /\n\s+at |\bat (?:async )?[\w$.<>]+ \(/],
  [
    "SQL",
    /\bSELECT\b[^"]{0,200}\bFROM\b|\bINSERT INTO\b|\bUPDATE\s+"?\w+"?\s+SET\b|\bDELETE FROM\b|\$queryRaw/,
  ],
  ["a Prisma message", /Invalid `|prisma\.|PrismaClient|P20\d\d\b|DriverAdapterError/],
  [
    "a PostgreSQL message",
    /invalid byte sequence|violates (?:foreign key|unique|check|not-null)|relation "\w+"|syntax error at or near/,
  ],
  ["an internal error", /INTERNAL_SERVER_ERROR|Internal Server Error/],
];

/** Fails when an answer is a 5xx or carries anything internal; `what` names the request in the failure. */
export function expectClean(status: number, text: string, what: string): void {
  expect(status, `${what} answered ${status}: ${text.slice(0, 500)}`).toBeLessThan(500);
  for (const [name, pattern] of LEAKS) {
    expect(pattern.test(text), `${what} leaked ${name}: ${text.slice(0, 800)}`).toBe(false);
  }
}

/** Runs a request and, when it was refused, checks that no tenant's data changed because of it. */
export async function expectNoChangeIfRefused(
  world: FuzzWorld,
  label: string,
  send: () => Promise<{ refused: boolean; what?: string }>,
): Promise<void> {
  const before = await world.snapshot();
  const { refused, what = label } = await send();
  const after = await world.snapshot();
  for (const tenant of Object.keys(before)) {
    const changed = Object.keys(before[tenant]!).filter((t) => before[tenant]![t] !== after[tenant]![t]);
    if (tenant !== FUZZ_TENANT || refused) {
      expect(
        changed,
        `${what} (${refused ? "refused" : "accepted"}) changed ${tenant}'s ${changed.join(", ")}`,
      ).toEqual([]);
    }
  }
}
