import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../src/platform/config";
import { diffSchemas } from "../src/platform/db/prisma-cli";
import { createTestDatabase } from "./database";

// What schema.prisma cannot express and the migrations add by hand: left out of the comparison.
const HAND_WRITTEN_INDEX = /_trgm_idx$/;
// Partitions of a partitioned table (sync_history by month) repeat its columns, indexes and keys: the parent
// is compared, the partitions are not.
const NOT_A_PARTITION = `NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = to_regclass('public.' || quote_ident(%)))`;
const notPartition = (column: string) => NOT_A_PARTITION.replace("%", column);

async function describeSchema(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns: await q(`
        SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
               character_maximum_length, numeric_precision, numeric_scale, datetime_precision
          FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' AND ${notPartition("table_name")}
         ORDER BY table_name, column_name`),
      indexes: (
        await q(`SELECT tablename, indexname, indexdef FROM pg_indexes
                  WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' AND ${notPartition("tablename")}
                  ORDER BY tablename, indexname`)
      )
        .filter((r) => !HAND_WRITTEN_INDEX.test(r.indexname))
        // An index on a partitioned table is defined ON ONLY the parent; the same index otherwise.
        .map((r) => ({ ...r, indexdef: String(r.indexdef).replace(" ON ONLY ", " ON ") })),
      constraints: await q(`
        SELECT c.conrelid::regclass::text AS table_name, c.conname, c.contype, pg_get_constraintdef(c.oid) AS def
          FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
         WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f')
           AND c.conrelid::regclass::text <> '_prisma_migrations' AND c.conparentid = 0
           AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.conrelid)
         ORDER BY 1, 2`),
      enums: await q(`
        SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels
          FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
         GROUP BY t.typname ORDER BY t.typname`),
    };
  } finally {
    await client.end();
  }
}

describe("schema.prisma and the migrations", () => {
  let fromMigrations: Awaited<ReturnType<typeof createTestDatabase>>;
  let fromSchema: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    fromMigrations = await createTestDatabase();
    fromSchema = await createTestDatabase();
    // Empty the copy of the template, then build it from schema.prisma alone.
    const client = new pg.Client({ connectionString: fromSchema.url });
    await client.connect();
    await client.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    const sql = await diffSchemas(fromSchema.url, path.join(ROOT_DIR, "prisma", "schema.prisma"));
    await client.query(sql);
    await client.end();
  }, 120_000);

  afterAll(async () => {
    await fromMigrations?.drop();
    await fromSchema?.drop();
  });

  it("describe the same tables, columns, indexes, keys and enums", async () => {
    const [a, b] = await Promise.all([describeSchema(fromMigrations.url), describeSchema(fromSchema.url)]);
    expect(a.columns.length).toBeGreaterThan(100);
    expect(a.columns).toEqual(b.columns);
    expect(a.indexes).toEqual(b.indexes);
    expect(a.constraints).toEqual(b.constraints);
    expect(a.enums).toEqual(b.enums);
  });
});
