import type pg from "pg";
import { withTenant } from "../src/platform/db";

export interface ItemFixture {
  sku: string;
  title: string;
  asin?: string | null;
  brand?: string | null;
  category?: string | null;
  quantity?: number;
  reserved?: number;
  price?: string | null;
  status?: "ACTIVE" | "INACTIVE" | "INCOMPLETE" | "SUPPRESSED" | "DELETED";
  fulfillment?: "FBA" | "FBM";
  bestseller?: boolean;
  listings?: { platform: "AMAZON" | "MEDUSA"; quantity: number; price: string; status?: string }[];
}

/** A tenant with Amazon and Medusa connections and default sync settings; returns ids by name. */
export async function createTenant(
  pool: pg.Pool,
  slug: string,
  settings: { low?: number; out?: number } = {},
) {
  const { rows } = await pool.query<{ id: string }>(
    "INSERT INTO tenants (slug, name, updated_at) VALUES ($1, $1, now()) RETURNING id",
    [slug],
  );
  const tenantId = rows[0]!.id;
  return withTenant(pool, tenantId, async (c) => {
    const conn = await c.query<{ id: string; kind: string }>(
      `INSERT INTO platform_connections (kind, name, priority, updated_at)
       VALUES ('AMAZON', 'Amazon US', 1, now()), ('MEDUSA', 'Medusa Store', 2, now()) RETURNING id, kind`,
    );
    await c.query(
      `INSERT INTO platform_sync_settings (low_stock_threshold, out_of_stock_threshold, updated_at)
       VALUES ($1, $2, now())`,
      [settings.low ?? 10, settings.out ?? 0],
    );
    const connections = Object.fromEntries(conn.rows.map((r) => [r.kind, r.id])) as Record<
      "AMAZON" | "MEDUSA",
      string
    >;
    return { tenantId, connections };
  });
}

/** Inserts products with their Amazon seller inventory and listings; returns product ids by SKU. */
export async function insertItems(
  pool: pg.Pool,
  tenant: { tenantId: string; connections: Record<"AMAZON" | "MEDUSA", string> },
  items: ItemFixture[],
): Promise<Map<string, string>> {
  return withTenant(pool, tenant.tenantId, async (c) => {
    const ids = new Map<string, string>();
    let i = 0;
    for (const item of items) {
      const updatedAt = new Date(Date.UTC(2026, 0, 1, 0, 0, i++)).toISOString();
      const product = await c.query<{ id: string }>(
        `INSERT INTO products (sku, title, brand, category, updated_at) VALUES ($1, $2, $3, $4, now()) RETURNING id`,
        [item.sku, item.title, item.brand ?? null, item.category ?? null],
      );
      const productId = product.rows[0]!.id;
      ids.set(item.sku, productId);
      await c.query(
        `INSERT INTO seller_inventory (product_id, connection_id, sku, asin, title, brand, category, quantity,
           reserved_quantity, price, status, fulfillment_channel, is_bestseller, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          productId,
          tenant.connections.AMAZON,
          item.sku,
          item.asin ?? null,
          item.title,
          item.brand ?? null,
          item.category ?? null,
          item.quantity ?? 20,
          item.reserved ?? 0,
          item.price === undefined ? "10.00" : item.price,
          item.status ?? "ACTIVE",
          item.fulfillment ?? "FBM",
          item.bestseller ?? false,
          updatedAt,
        ],
      );
      for (const l of item.listings ?? []) {
        await c.query(
          `INSERT INTO product_listings (product_id, connection_id, platform, sku, quantity, price, status,
             last_confirmed_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now())`,
          [
            productId,
            tenant.connections[l.platform],
            l.platform,
            item.sku,
            l.quantity,
            l.price,
            l.status ?? "ACTIVE",
          ],
        );
      }
    }
    return ids;
  });
}

/** Runs SQL as the owner inside the tenant (for conflicts, alerts and jobs in tests). */
export function asTenant<T>(pool: pg.Pool, tenantId: string, fn: (c: pg.PoolClient) => Promise<T>) {
  return withTenant(pool, tenantId, fn);
}
