import type { FastifyInstance, FastifyReply } from "fastify";
import type { SandboxRuntime } from "../sandbox.runtime";
import type { MedusaEntry, MedusaLevel } from "../sandbox.state";

type Query = Record<string, string | string[] | undefined>;

const iso = (ms: number) => new Date(ms).toISOString();

function list(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Sends a Medusa error body. */
export function medusaError(
  reply: FastifyReply,
  status: number,
  type: string,
  message: string,
): FastifyReply {
  const code = status >= 500 ? "api_error" : status === 409 ? "invalid_state_error" : "invalid_request_error";
  return reply.code(status).send({ code, type, message });
}

function level(entry: MedusaEntry, l: MedusaLevel): Record<string, unknown> {
  return {
    id: l.id,
    created_at: iso(l.createdAt),
    updated_at: iso(l.updatedAt),
    deleted_at: null,
    inventory_item_id: entry.inventoryItemId,
    location_id: l.locationId,
    stocked_quantity: l.stocked,
    reserved_quantity: l.reserved,
    incoming_quantity: l.incoming,
    available_quantity: l.stocked - l.reserved,
    metadata: null,
  };
}

function inventoryItem(entry: MedusaEntry, withLevels: boolean): Record<string, unknown> {
  return {
    id: entry.inventoryItemId,
    sku: entry.sku,
    title: entry.title,
    requires_shipping: true,
    origin_country: null,
    hs_code: null,
    mid_code: null,
    material: null,
    weight: null,
    length: null,
    height: null,
    width: null,
    description: null,
    thumbnail: null,
    metadata: null,
    ...(withLevels ? { location_levels: entry.levels.map((l) => level(entry, l)) } : {}),
  };
}

function variant(entry: MedusaEntry, fields: string): Record<string, unknown> {
  const v: Record<string, unknown> = {
    id: entry.variantId,
    title: "Default variant",
    sku: entry.sku,
    barcode: null,
    ean: null,
    upc: null,
    thumbnail: null,
    images: [],
    allow_backorder: false,
    manage_inventory: true,
    hs_code: null,
    origin_country: null,
    mid_code: null,
    material: null,
    weight: null,
    length: null,
    height: null,
    width: null,
    variant_rank: 0,
    options: [],
    product_id: entry.productId,
    metadata: null,
    created_at: iso(entry.createdAt),
    updated_at: iso(entry.updatedAt),
    deleted_at: null,
    prices: entry.prices.map((p) => ({
      id: p.id,
      title: null,
      currency_code: p.currency,
      amount: Number(p.amount),
      raw_amount: { value: p.amount, precision: 20 },
      min_quantity: null,
      max_quantity: null,
      price_set_id: entry.priceSetId,
      created_at: iso(p.createdAt),
      updated_at: iso(p.updatedAt),
      deleted_at: null,
    })),
  };
  if (fields.includes("inventory_quantity"))
    v.inventory_quantity = entry.levels.reduce((s, l) => s + l.stocked - l.reserved, 0);
  if (fields.includes("product"))
    v.product = {
      id: entry.productId,
      title: entry.title,
      handle: entry.handle,
      status: entry.productStatus,
    };
  if (fields.includes("inventory_items")) {
    v.inventory_items = [
      {
        id: `pvitem_${entry.variantId.slice(8)}`,
        variant_id: entry.variantId,
        inventory_item_id: entry.inventoryItemId,
        required_quantity: 1,
        ...(fields.includes("inventory_items.inventory")
          ? { inventory: inventoryItem(entry, fields.includes("location_levels")) }
          : {}),
      },
    ];
  }
  return v;
}

function product(entry: MedusaEntry): Record<string, unknown> {
  return {
    id: entry.productId,
    title: entry.title,
    subtitle: null,
    status: entry.productStatus,
    handle: entry.handle,
    description: null,
    is_giftcard: false,
    thumbnail: null,
    width: null,
    weight: null,
    height: null,
    length: null,
    origin_country: null,
    hs_code: null,
    mid_code: null,
    material: null,
    collection_id: null,
    type_id: null,
    discountable: true,
    external_id: null,
    type: null,
    options: [],
    images: [],
    variants: entry.deleted ? [] : [variant(entry, "")],
    metadata: null,
    created_at: iso(entry.createdAt),
    updated_at: iso(entry.updatedAt),
    deleted_at: null,
  };
}

function paging(q: Query): { limit: number; offset: number } | string {
  const limit = Number(one(q.limit) ?? 50);
  const offset = Number(one(q.offset) ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0)
    return "limit and offset must be non-negative integers";
  return { limit, offset };
}

const DECIMAL = /^\d{1,9}(\.\d{1,4})?$/;

/** The Medusa v2 Admin API subset the connector uses, behind secret-key Basic auth. */
export function registerMedusaRoutes(app: FastifyInstance, rt: SandboxRuntime): void {
  const st = rt.state;
  const live = () => st.medusaOrdered.filter((e) => !e.deleted);

  app.get(
    "/admin/stock-locations",
    { config: { api: "medusa", operation: "GetStockLocations" } },
    async (_request, reply) => {
      return reply.send({
        stock_locations: st.locations.map((l) => ({ id: l.id, name: l.name, address_id: l.addressId })),
        count: st.locations.length,
        offset: 0,
        limit: 50,
      });
    },
  );

  app.get(
    "/admin/product-variants",
    { config: { api: "medusa", operation: "GetProductVariants" } },
    async (request, reply) => {
      const q = request.query as Query;
      const page = paging(q);
      if (typeof page === "string") return medusaError(reply, 400, "invalid_data", page);
      let entries = live();
      const ids = list(q.id);
      if (ids) {
        const wanted = new Set(ids);
        entries = entries.filter((e) => wanted.has(e.variantId));
      }
      const term = one(q.q)?.toLowerCase();
      if (term)
        entries = entries.filter(
          (e) => e.sku.toLowerCase().includes(term) || e.title.toLowerCase().includes(term),
        );
      const order = one(q.order);
      if (order) {
        const desc = order.startsWith("-");
        const field = desc ? order.slice(1) : order;
        const keyOf = (e: MedusaEntry): string | number =>
          field === "sku"
            ? e.sku
            : field === "id"
              ? e.variantId
              : field === "updated_at"
                ? e.updatedAt
                : e.createdAt;
        entries = [...entries].sort((a, b) => {
          const x = keyOf(a);
          const y = keyOf(b);
          return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1);
        });
      }
      const fields = one(q.fields) ?? "";
      return reply.send({
        variants: entries.slice(page.offset, page.offset + page.limit).map((e) => variant(e, fields)),
        count: entries.length,
        offset: page.offset,
        limit: page.limit,
      });
    },
  );

  app.get(
    "/admin/inventory-items",
    { config: { api: "medusa", operation: "GetInventoryItems" } },
    async (request, reply) => {
      const q = request.query as Query;
      const page = paging(q);
      if (typeof page === "string") return medusaError(reply, 400, "invalid_data", page);
      const skus = list(q.sku) ?? list(q["sku[]"]);
      let entries: MedusaEntry[];
      if (skus)
        entries = skus.map((s) => st.medusa.get(s)).filter((e): e is MedusaEntry => !!e && !e.deleted);
      else entries = live();
      const ids = list(q.id);
      if (ids) {
        const wanted = new Set(ids);
        entries = entries.filter((e) => wanted.has(e.inventoryItemId));
      }
      const fields = one(q.fields) ?? "";
      return reply.send({
        inventory_items: entries
          .slice(page.offset, page.offset + page.limit)
          .map((e) => inventoryItem(e, fields.includes("location_levels"))),
        count: entries.length,
        offset: page.offset,
        limit: page.limit,
      });
    },
  );

  app.post(
    "/admin/inventory-items/location-levels/batch",
    { config: { api: "medusa", operation: "PostInventoryItemsLocationLevelsBatch" } },
    async (request, reply) => {
      const body = request.body as
        | {
            update?: Array<{
              inventory_item_id?: string;
              location_id?: string;
              stocked_quantity?: number;
              incoming_quantity?: number;
            }>;
            create?: unknown[];
            delete?: unknown[];
          }
        | undefined;
      const updates = body?.update ?? [];
      if ((body?.create?.length ?? 0) > 0 || (body?.delete?.length ?? 0) > 0) {
        return medusaError(
          reply,
          400,
          "invalid_data",
          "The sandbox does not create or delete inventory levels.",
        );
      }
      // The workflow runs in one transaction: one bad row fails the whole batch.
      const resolved: Array<{ entry: MedusaEntry; level: MedusaLevel; stocked?: number; incoming?: number }> =
        [];
      for (const u of updates) {
        const entry = u.inventory_item_id ? st.medusaByInventoryItem.get(u.inventory_item_id) : undefined;
        const lvl = entry?.levels.find((l) => l.locationId === u.location_id);
        if (!entry || entry.deleted || !lvl) {
          return medusaError(
            reply,
            404,
            "not_found",
            `Inventory level for item ${u.inventory_item_id} at location ${u.location_id} was not found`,
          );
        }
        if (
          u.stocked_quantity !== undefined &&
          (!Number.isInteger(u.stocked_quantity) || u.stocked_quantity < 0)
        ) {
          return medusaError(
            reply,
            400,
            "invalid_data",
            `stocked_quantity must be a non-negative integer (item ${u.inventory_item_id})`,
          );
        }
        resolved.push({ entry, level: lvl, stocked: u.stocked_quantity, incoming: u.incoming_quantity });
      }
      const now = rt.now();
      for (const r of resolved) {
        if (r.stocked !== undefined) {
          r.level.stocked = r.stocked;
          st.countWrite("medusa", r.entry.sku, "quantity");
        }
        if (r.incoming !== undefined) r.level.incoming = r.incoming;
        r.level.updatedAt = now;
        r.entry.updatedAt = now;
      }
      return reply.send({ created: [], updated: resolved.map((r) => level(r.entry, r.level)), deleted: [] });
    },
  );

  app.post(
    "/admin/inventory-items/:id/location-levels/:location_id",
    { config: { api: "medusa", operation: "PostInventoryItemsIdLocationLevelsLocation_id" } },
    async (request, reply) => {
      const { id, location_id } = request.params as { id: string; location_id: string };
      const body = request.body as { stocked_quantity?: number; incoming_quantity?: number } | undefined;
      const entry = st.medusaByInventoryItem.get(id);
      const lvl = entry?.levels.find((l) => l.locationId === location_id);
      if (!entry || entry.deleted || !lvl)
        return medusaError(
          reply,
          404,
          "not_found",
          `Inventory level for item ${id} at location ${location_id} was not found`,
        );
      if (body?.stocked_quantity !== undefined) {
        if (!Number.isInteger(body.stocked_quantity) || body.stocked_quantity < 0)
          return medusaError(reply, 400, "invalid_data", "stocked_quantity must be a non-negative integer");
        lvl.stocked = body.stocked_quantity;
        st.countWrite("medusa", entry.sku, "quantity");
      }
      if (body?.incoming_quantity !== undefined) lvl.incoming = body.incoming_quantity;
      lvl.updatedAt = entry.updatedAt = rt.now();
      return reply.send({ inventory_item: inventoryItem(entry, true) });
    },
  );

  const updatePrices = (
    entry: MedusaEntry,
    prices: Array<{ currency_code?: string; amount?: number }>,
  ): string | undefined => {
    for (const p of prices) {
      if (
        !p.currency_code ||
        typeof p.amount !== "number" ||
        !(p.amount >= 0) ||
        !DECIMAL.test(String(p.amount))
      ) {
        return `Invalid price ${JSON.stringify(p)}`;
      }
    }
    const now = rt.now();
    // Medusa replaces the variant's price set: currencies left out are removed.
    entry.prices = prices.map((p) => {
      const existing = entry.prices.find((e) => e.currency === p.currency_code!.toLowerCase());
      return {
        id: existing?.id ?? rt.nextId("price_"),
        currency: p.currency_code!.toLowerCase(),
        amount: String(p.amount),
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
    });
    entry.updatedAt = now;
    st.countWrite("medusa", entry.sku, "price");
    return undefined;
  };

  app.post(
    "/admin/products/:id/variants/batch",
    { config: { api: "medusa", operation: "PostProductsIdVariantsBatch" } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as
        | {
            update?: Array<{ id: string; prices?: Array<{ currency_code?: string; amount?: number }> }>;
            create?: unknown[];
            delete?: string[];
          }
        | undefined;
      const entry = st.medusaByProduct.get(id);
      if (!entry || entry.deleted)
        return medusaError(reply, 404, "not_found", `Product with id: ${id} was not found`);
      if ((body?.create?.length ?? 0) > 0)
        return medusaError(reply, 400, "invalid_data", "The sandbox does not create variants.");
      const updates = body?.update ?? [];
      for (const u of updates) {
        if (u.id !== entry.variantId)
          return medusaError(reply, 404, "not_found", `Variant with id: ${u.id} was not found`);
      }
      for (const u of updates) {
        if (u.prices) {
          const problem = updatePrices(entry, u.prices);
          if (problem) return medusaError(reply, 400, "invalid_data", problem);
        }
      }
      const deleted = body?.delete ?? [];
      for (const d of deleted) if (d === entry.variantId) entry.deleted = true;
      return reply.send({
        created: [],
        updated: updates.length ? [variant(entry, "")] : [],
        deleted: { ids: deleted, object: "variant", deleted: true },
      });
    },
  );

  app.post(
    "/admin/products/:id/variants/:variant_id",
    { config: { api: "medusa", operation: "PostProductsIdVariantsVariant_id" } },
    async (request, reply) => {
      const { id, variant_id } = request.params as { id: string; variant_id: string };
      const body = request.body as
        | { prices?: Array<{ currency_code?: string; amount?: number }> }
        | undefined;
      const entry = st.medusaByProduct.get(id);
      if (!entry || entry.deleted || entry.variantId !== variant_id)
        return medusaError(reply, 404, "not_found", `Variant with id: ${variant_id} was not found`);
      if (body?.prices) {
        const problem = updatePrices(entry, body.prices);
        if (problem) return medusaError(reply, 400, "invalid_data", problem);
      }
      return reply.send({ product: product(entry) });
    },
  );

  app.post(
    "/admin/products/:id",
    { config: { api: "medusa", operation: "PostProductsId" } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as { status?: string } | undefined;
      const entry = st.medusaByProduct.get(id);
      if (!entry || entry.deleted)
        return medusaError(reply, 404, "not_found", `Product with id: ${id} was not found`);
      if (body?.status) {
        if (!["draft", "proposed", "published", "rejected"].includes(body.status))
          return medusaError(reply, 400, "invalid_data", `Invalid status ${body.status}`);
        entry.productStatus = body.status as MedusaEntry["productStatus"];
        st.countWrite("medusa", entry.sku, "status");
        entry.updatedAt = rt.now();
      }
      return reply.send({ product: product(entry) });
    },
  );

  app.delete(
    "/admin/products/:id/variants/:variant_id",
    { config: { api: "medusa", operation: "DeleteProductsIdVariantsVariant_id" } },
    async (request, reply) => {
      const { id, variant_id } = request.params as { id: string; variant_id: string };
      const entry = st.medusaByProduct.get(id);
      if (!entry || entry.deleted || entry.variantId !== variant_id)
        return medusaError(reply, 404, "not_found", `Variant with id: ${variant_id} was not found`);
      entry.deleted = true;
      entry.updatedAt = rt.now();
      return reply.send({ id: variant_id, object: "variant", deleted: true, parent: product(entry) });
    },
  );
}
