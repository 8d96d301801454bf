import { randomBytes } from "node:crypto";
import type pg from "pg";

/** A tenant to create as a copy of the template. */
export interface CloneTarget {
  slug: string;
  name: string;
}

interface Column {
  name: string;
  type: "uuid" | "text" | "jsonb" | "other";
  /** A uuid naming a row outside any tenant (a user): copied as it is. */
  shared: boolean;
}

interface Table {
  name: string;
  columns: Column[];
  /** Tenant tables this one's foreign keys point at (itself left out). */
  parents: string[];
}

// The last 12 hex digits of every uuid the copy writes are the new tenant's: the template's ids, wherever they
// appear (keys, foreign keys, ids inside text and JSON), map one to one into each copy, and no two copies meet.
const UUID_PATTERN = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{12}";

/** The tables holding a tenant's rows, parents before children, with how each column is copied. */
async function tenantTables(client: pg.ClientBase): Promise<Table[]> {
  const { rows } = await client.query<{
    table: string;
    column: string;
    type: string;
    shared: boolean;
  }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, NULL) AS type,
            EXISTS (SELECT 1 FROM pg_constraint f
                     WHERE f.contype = 'f' AND f.conrelid = c.oid AND f.conkey = ARRAY[a.attnum]
                       AND NOT EXISTS (SELECT 1 FROM pg_attribute t
                                        WHERE t.attrelid = f.confrelid AND t.attname = 'tenant_id'
                                          AND NOT t.attisdropped)
                       AND f.confrelid <> 'tenants'::regclass) AS shared
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attgenerated = '' AND a.attidentity = ''
        AND (c.relname = 'tenants' OR EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid
                                               AND t.attname = 'tenant_id' AND NOT t.attisdropped))
      ORDER BY c.relname, a.attnum`,
  );
  const { rows: links } = await client.query<{ child: string; parent: string }>(
    `SELECT DISTINCT c.relname AS child, p.relname AS parent
       FROM pg_constraint f JOIN pg_class c ON c.oid = f.conrelid JOIN pg_class p ON p.oid = f.confrelid
      WHERE f.contype = 'f' AND c.oid <> p.oid`,
  );
  const tables = new Map<string, Table>();
  for (const row of rows) {
    const table = tables.get(row.table) ?? { name: row.table, columns: [], parents: [] };
    tables.set(row.table, table);
    const type = row.type === "uuid" || row.type === "text" || row.type === "jsonb" ? row.type : "other";
    table.columns.push({ name: row.column, type, shared: row.shared });
  }
  for (const link of links) {
    if (tables.has(link.child) && tables.has(link.parent)) tables.get(link.child)!.parents.push(link.parent);
  }
  const ordered: Table[] = [];
  const placed = new Set<string>();
  const visit = (table: Table, path: Set<string>) => {
    if (placed.has(table.name)) return;
    if (path.has(table.name)) throw new Error(`foreign keys form a cycle through ${table.name}`);
    path.add(table.name);
    for (const parent of table.parents) visit(tables.get(parent)!, path);
    placed.add(table.name);
    ordered.push(table);
  };
  for (const table of tables.values()) visit(table, new Set());
  return ordered;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Copies every row of the template tenant into new tenants, a few statements per table whatever their number,
 * giving each copy fresh ids; returns the new tenants' ids in the order given. The copies share the template's
 * users (its members' user ids stay as they are). Needs a role that row-level security does not hold back.
 */
export async function cloneTenant(
  client: pg.ClientBase,
  templateId: string,
  targets: CloneTarget[],
): Promise<string[]> {
  if (targets.length === 0) return [];
  const prefix = templateId.slice(0, 24);
  const ids = targets.map(() => prefix + randomBytes(6).toString("hex"));
  const tables = await tenantTables(client);
  for (const table of tables) {
    const key = table.name === "tenants" ? "id" : "tenant_id";
    const source = `FROM ${quote(table.name)} s WHERE s.${key} = $1`;
    const candidates = table.columns.filter((c) => c.type === "text" || c.type === "jsonb");
    // Only text that holds an id of the template's is rewritten; the rest is copied untouched.
    const withIds = new Set<string>();
    if (candidates.length) {
      const { rows } = await client.query<Record<string, boolean>>(
        `SELECT ${candidates.map((c, i) => `coalesce(bool_or(s.${quote(c.name)}::text ~ '${UUID_PATTERN}'), false) AS c${i}`).join(", ")} ${source}`,
        [templateId],
      );
      candidates.forEach((c, i) => {
        if (rows[0]?.[`c${i}`]) withIds.add(c.name);
      });
    }
    const suffix = "right(n.id::text, 12)";
    const rewrite = (text: string) => `regexp_replace(${text}, '${UUID_PATTERN}', '\\1' || ${suffix}, 'g')`;
    const values = table.columns.map((column) => {
      const col = `s.${quote(column.name)}`;
      if (table.name === "tenants" && column.name === "slug") return "n.slug";
      if (table.name === "tenants" && column.name === "name") return "n.name";
      if (column.type === "uuid" && !column.shared)
        return `overlay(${col}::text placing ${suffix} from 25)::uuid`;
      if (!withIds.has(column.name)) return col;
      return column.type === "jsonb" ? `${rewrite(`${col}::text`)}::jsonb` : rewrite(col);
    });
    await client.query(
      `INSERT INTO ${quote(table.name)} (${table.columns.map((c) => quote(c.name)).join(", ")})
       SELECT ${values.join(", ")}
         FROM ${quote(table.name)} s
        CROSS JOIN unnest($2::uuid[], $3::text[], $4::text[]) AS n(id, slug, name)
        WHERE s.${key} = $1`,
      [templateId, ids, targets.map((t) => t.slug), targets.map((t) => t.name)],
    );
  }
  return ids;
}
