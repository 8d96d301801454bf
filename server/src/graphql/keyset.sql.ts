import { Prisma } from "../platform/db";
import type { Cursor, Direction, SortKind, SortSpec } from "./pagination";

const CASTS: Record<SortKind, string> = {
  text: "text",
  integer: "int4",
  decimal: "numeric",
  timestamp: "timestamptz",
};

/** One index range of a page read, as SQL: its condition and its order. */
export interface SqlSegment {
  where: Prisma.Sql;
  orderBy: Prisma.Sql;
}

const flip = (d: Direction): Direction => (d === "asc" ? "desc" : "asc");

/**
 * `paginate`'s keyset ranges as SQL over `column` of the table aliased `alias` (ties broken by its id), for
 * statements that read a page at once: the values, then (for a nullable column) the nulls by id.
 */
export function sqlSegments<T>(
  sort: SortSpec<T>,
  alias: string,
  column: string,
  cursor: Cursor | null,
  backward: boolean,
): SqlSegment[] {
  const dir = backward ? flip(sort.direction) : sort.direction;
  const col = Prisma.raw(`${alias}.${column}`);
  const id = Prisma.raw(`${alias}.id`);
  const order = Prisma.raw(dir === "asc" ? "ASC" : "DESC");
  const beyond = Prisma.raw(dir === "asc" ? ">" : "<");
  const reaching = Prisma.raw(dir === "asc" ? ">=" : "<=");
  const cast = Prisma.raw(CASTS[sort.kind]);
  const values: SqlSegment = {
    where: sort.nullable ? Prisma.sql`${col} IS NOT NULL` : Prisma.sql`TRUE`,
    orderBy: Prisma.sql`${col} ${order}, ${id} ${order}`,
  };
  const nulls: SqlSegment = { where: Prisma.sql`${col} IS NULL`, orderBy: Prisma.sql`${id} ${order}` };
  const afterCursor = (value: string | number, after: string): SqlSegment => ({
    where: Prisma.sql`${col} ${reaching} ${value}::${cast} AND (${col} ${beyond} ${value}::${cast} OR ${id} ${beyond} ${after}::uuid)`,
    orderBy: values.orderBy,
  });
  const nullsAfter = (after: string): SqlSegment => ({
    where: Prisma.sql`${col} IS NULL AND ${id} ${beyond} ${after}::uuid`,
    orderBy: nulls.orderBy,
  });

  if (!sort.nullable) return [cursor ? afterCursor(cursor.v as string | number, cursor.id) : values];
  if (!backward) {
    if (!cursor) return [values, nulls];
    if (cursor.v === null) return [nullsAfter(cursor.id)];
    return [afterCursor(cursor.v, cursor.id), nulls];
  }
  if (!cursor) return [nulls, values];
  if (cursor.v === null) return [nullsAfter(cursor.id), values];
  return [afterCursor(cursor.v, cursor.id)];
}
