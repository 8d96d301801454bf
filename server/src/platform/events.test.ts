import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../test/database";
import { PgPubSub } from "./events";

describe("PgPubSub", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let poolA: pg.Pool;
  let poolB: pg.Pool;
  let a: PgPubSub;
  let b: PgPubSub;

  beforeAll(async () => {
    db = await createTestDatabase();
    poolA = new pg.Pool({ connectionString: db.url, max: 1 });
    poolB = new pg.Pool({ connectionString: db.url, max: 1 });
    // Two buses on two connections stand for two processes.
    a = new PgPubSub(db.url, poolA);
    b = new PgPubSub(db.url, poolB);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await poolA?.end();
    await poolB?.end();
    await db?.drop();
  });

  it("delivers what one publishes to another's subscriber, in order", async () => {
    const events = b.subscribe("job", "42");
    await b.listening();
    for (let i = 1; i <= 3; i++) await a.publish("job:42", { n: i });
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await events.next()).value);
    expect(seen).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await events.return?.();
  });

  it("routes by key: a subscriber to one id hears nothing of another", async () => {
    const mine = b.subscribe("job", "1");
    await b.listening();
    await a.publish("job:2", { n: "other" });
    await a.publish("job:1", { n: "mine" });
    expect((await mine.next()).value).toEqual({ n: "mine" });
    await mine.return?.();
  });

  it("ends a subscription when it is returned", async () => {
    const events = a.subscribe("jobs");
    await a.listening();
    const pending = events.next();
    await events.return?.();
    expect(await pending).toEqual({ value: undefined, done: true });
  });

  it("refuses an event too large for NOTIFY", async () => {
    await expect(a.publish("big", { blob: "x".repeat(9000) })).rejects.toThrow(/bytes/);
  });
});
