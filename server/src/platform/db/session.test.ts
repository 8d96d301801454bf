import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/database";
import { DatabaseSession } from "./session";

describe("DatabaseSession round locks", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  // Two sessions stand for two processes.
  let a: DatabaseSession;
  let b: DatabaseSession;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = new DatabaseSession(db.url);
    b = new DatabaseSession(db.url);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it("lets one holder at a time take a round's lock, across processes and within one", async () => {
    expect(await a.tryLock("round")).toBe(true);
    // Session locks are re-entrant in PostgreSQL: a second caller in the same process must still be refused.
    expect(await a.tryLock("round")).toBe(false);
    expect(await b.tryLock("round")).toBe(false);
    expect(await b.tryLock("other round")).toBe(true);
    await a.unlock("round");
    expect(await b.tryLock("round")).toBe(true);
    expect(await a.tryLock("round")).toBe(false);
    await b.unlock("round");
    await b.unlock("other round");
    const { rows } = await a.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted",
    );
    expect(rows[0]!.n).toBe(0);
  });

  it("forgets its locks when its connection is lost, so the next round can take them again", async () => {
    expect(await a.tryLock("round")).toBe(true);
    const lost = new Promise<void>((resolve) => a.whenLost(() => resolve()));
    // a's connection: the other session of this database.
    await b.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`,
      ["inventory-sync-session"],
    );
    await lost;
    expect(await b.tryLock("round")).toBe(true);
    await b.unlock("round");
    expect(await a.tryLock("round")).toBe(true);
    await a.unlock("round");
  });
});
