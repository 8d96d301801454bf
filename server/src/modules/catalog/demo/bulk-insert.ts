import type pg from "pg";

/** A column's SQL type; an enum column is sent as text and cast to the named enum type. */
export type ColumnType =
  | "uuid"
  | "text"
  | "int4"
  | "bool"
  | "numeric"
  | "timestamptz"
  | "jsonb"
  | { enum: string }
  | { enumArray: string };

type Row<C extends Record<string, ColumnType>> = { [K in keyof C]: unknown };

/**
 * Rows buffered column by column and written with `INSERT ... SELECT FROM unnest(...)`: one array parameter
 * per column, so the statement's size never depends on the row count.
 */
export class BulkInsert<C extends Record<string, ColumnType>> {
  private readonly names: (keyof C & string)[];
  private data: unknown[][];

  constructor(
    readonly table: string,
    private readonly columns: C,
  ) {
    this.names = Object.keys(columns) as (keyof C & string)[];
    this.data = this.names.map(() => []);
  }

  get size(): number {
    return this.data[0]?.length ?? 0;
  }

  push(row: Row<C>): void {
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i]!;
      const type = this.columns[name]!;
      const value = row[name];
      if (value == null) this.data[i]!.push(null);
      else if (type === "jsonb") this.data[i]!.push(JSON.stringify(value));
      else if (typeof type === "object" && "enumArray" in type)
        this.data[i]!.push((value as string[]).join(","));
      else this.data[i]!.push(value);
    }
  }

  /** The INSERT statement, its array parameters numbered from `offset + 1`. */
  statement(offset = 0): string {
    const params = this.names.map((name, i) => {
      const type = this.columns[name]!;
      const arrayType = typeof type === "object" || type === "jsonb" ? "text" : type;
      return `$${offset + i + 1}::${arrayType}[]`;
    });
    const selects = this.names.map((name, i) => {
      const type = this.columns[name]!;
      // Arrays cannot nest in unnest's zip, so an enum array travels as comma-separated text.
      if (typeof type === "object" && "enumArray" in type) {
        return `string_to_array(u.c${i}, ',')::"${type.enumArray}"[]`;
      }
      if (typeof type === "object") return `u.c${i}::"${type.enum}"`;
      if (type === "jsonb") return `u.c${i}::jsonb`;
      return `u.c${i}`;
    });
    const aliases = this.names.map((_, i) => `c${i}`).join(", ");
    return (
      `INSERT INTO "${this.table}" (${this.names.map((n) => `"${n}"`).join(", ")}) ` +
      `SELECT ${selects.join(", ")} FROM unnest(${params.join(", ")}) AS u(${aliases})`
    );
  }

  /** The buffered rows, column by column; the buffer starts empty again. */
  take(): unknown[][] {
    const data = this.data;
    this.data = this.names.map(() => []);
    return data;
  }

  /** Writes the buffered rows, at most `chunk` per statement, and empties the buffer. */
  async flush(client: pg.ClientBase, chunk = 10_000): Promise<void> {
    const total = this.size;
    const data = this.take();
    const sql = this.statement();
    for (let from = 0; from < total; from += chunk) {
      await client.query(sql, total <= chunk ? data : data.map((column) => column.slice(from, from + chunk)));
    }
  }
}

/**
 * Writes the buffered rows of several tables in one statement (each INSERT but the last in a WITH clause),
 * in the given order, so a child's foreign keys find the parent rows written by the same statement.
 */
export function flushTogether(
  client: pg.ClientBase,
  tables: Pick<BulkInsert<Record<string, ColumnType>>, "size" | "statement" | "take">[],
): Promise<void> {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const table of tables) {
    if (table.size === 0) continue;
    parts.push(table.statement(params.length));
    params.push(...table.take());
  }
  if (parts.length === 0) return Promise.resolve();
  const last = parts.pop()!;
  const sql = parts.length ? `WITH ${parts.map((p, i) => `w${i} AS (${p})`).join(", ")} ${last}` : last;
  return client.query(sql, params).then(() => undefined);
}
