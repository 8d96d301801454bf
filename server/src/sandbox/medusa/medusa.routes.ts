import type { FastifyInstance, FastifyReply } from "fastify";
import type { SandboxRuntime } from "../sandbox.runtime";
import type { MedusaEntry, MedusaLevel } from "../sandbox.state";
import { selectFields } from "./medusa.fields";
import { filterPredicate } from "./medusa.filters";

type Query = Record<string, string | string[] | undefined>;

const iso = (ms: number) => new Date(ms).toISOString();
/** When the store's stock locations were set up. */
const EPOCH_MS = Date.UTC(2023, 0, 1);

function list(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Sends a Medusa error body as its error handler does: `{ type, message }` (a MedusaError has no code). */
export function medusaError(
  reply: FastifyReply,
  status: number,
  type: string,
  message: string,
): FastifyReply {
  return reply.code(status).send({ type, message });
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

function inventoryItem(entry: MedusaEntry): Record<string, unknown> {
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
    created_at: iso(entry.createdAt),
    updated_at: iso(entry.updatedAt),
    deleted_at: null,
    location_levels: entry.levels.map((l) => level(entry, l)),
  };
}

/** A variant with every relation the sandbox models; `fields` picks from it. */
function variant(entry: MedusaEntry): Record<string, unknown> {
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
  v.inventory_quantity = entry.levels.reduce((s, l) => s + l.stocked - l.reserved, 0);
  v.product = productFields(entry);
  v.inventory_items = [
    {
      id: `pvitem_${entry.variantId.slice(8)}`,
      variant_id: entry.variantId,
      inventory_item_id: entry.inventoryItemId,
      required_quantity: 1,
      inventory: inventoryItem(entry),
    },
  ];
  return v;
}

function productFields(entry: MedusaEntry): Record<string, unknown> {
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
    metadata: null,
    created_at: iso(entry.createdAt),
    updated_at: iso(entry.updatedAt),
    deleted_at: null,
  };
}

function product(entry: MedusaEntry): Record<string, unknown> {
  const { product: _product, inventory_items: _items, inventory_quantity: _q, ...v } = variant(entry);
  return { ...productFields(entry), variants: entry.deleted ? [] : [v] };
}

/** Default fields of the list routes (Medusa's query configs): own fields and the relations shown by default. */
const VARIANT_DEFAULTS = ["*", "*prices", "*options", "images"];
const INVENTORY_DEFAULTS = ["*", "*location_levels"];
const LOCATION_DEFAULTS = ["id", "name", "address_id", "created_at", "updated_at", "deleted_at"];

/** Offset pagination with the route's default page size; Medusa's validators cap nothing. */
function paging(q: Query, defaultLimit: number): { limit: number; offset: number } | string {
  const limit = Number(one(q.limit) ?? defaultLimit);
  const offset = Number(one(q.offset) ?? 0);
  if (!Number.isInteger(limit) || limit < 0 || !Number.isInteger(offset) || offset < 0)
    return "Invalid request: limit and offset must be whole numbers of 0 or more";
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
    async (request, reply) => {
      const q = request.query as Query;
      const page = paging(q, 20);
      if (typeof page === "string") return medusaError(reply, 400, "invalid_data", page);
      const desc = one(q.order)?.startsWith("-");
      const filter = filterPredicate(q, ["q"]);
      const term = one(q.q)?.toLowerCase();
      const all = (desc ? [...st.locations].reverse() : st.locations).filter(
        (l) =>
          (!term || l.name.toLowerCase().includes(term)) &&
          (!filter || filter({ id: l.id, name: l.name, address_id: l.addressId, created_at: iso(EPOCH_MS) })),
      );
      return reply.send({
        stock_locations: all.slice(page.offset, page.offset + page.limit).map((l) =>
          selectFields(
            {
              id: l.id,
              name: l.name,
              address_id: l.addressId,
              metadata: null,
              created_at: iso(EPOCH_MS),
              updated_at: iso(EPOCH_MS),
              deleted_at: null,
            },
            one(q.fields),
            LOCATION_DEFAULTS,
          ),
        ),
        count: all.length,
        offset: page.offset,
        limit: page.limit,
      });
    },
  );

  app.get(
    "/admin/product-variants",
    { config: { api: "medusa", operation: "GetProductVariants" } },
    async (request, reply) => {
      const q = request.query as Query;
      const page = paging(q, 50);
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
      const filter = filterPredicate(q, ["id", "q"]);
      if (filter) entries = entries.filter((e) => filter(variant(e)));
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
      const fields = one(q.fields);
      return reply.send({
        variants: entries
          .slice(page.offset, page.offset + page.limit)
          .map((e) => selectFields(variant(e), fields, VARIANT_DEFAULTS)),
        count: entries.length,
        offset: page.offset,
        limit: page.limit,
      });
    },
  );

  app.get(
    "/admin/inventory-items",
    { config: { api: "medusa", operation: "GetInventoryItems", strictQuery: true } },
    async (request, reply) => {
      const q = request.query as Query;
      const page = paging(q, 20);
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
      const locations = list(
        (q as Record<string, string | string[] | undefined>)["location_levels[location_id]"],
      );
      if (locations) entries = entries.filter((e) => e.levels.some((l) => locations.includes(l.locationId)));
      const term = one(q.q)?.toLowerCase();
      if (term)
        entries = entries.filter(
          (e) => e.sku.toLowerCase().includes(term) || e.title.toLowerCase().includes(term),
        );
      const filter = filterPredicate(q, ["id", "sku", "q", "location_levels"]);
      if (filter) entries = entries.filter((e) => filter(inventoryItem(e)));
      const fields = one(q.fields);
      return reply.send({
        inventory_items: entries
          .slice(page.offset, page.offset + page.limit)
          .map((e) => selectFields(inventoryItem(e), fields, INVENTORY_DEFAULTS)),
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
      type Row = {
        inventory_item_id: string;
        location_id: string;
        stocked_quantity?: number;
        incoming_quantity?: number;
      };
      const body = request.body as { create?: Row[]; update?: Row[]; delete?: string[]; force?: boolean };
      // The workflow runs in one transaction: one bad row fails the whole batch, and nothing is written.
      const find = (r: Row) => {
        const entry = st.medusaByInventoryItem.get(r.inventory_item_id);
        return entry && !entry.deleted ? entry : undefined;
      };
      const location = (id: string) => st.locations.some((l) => l.id === id);
      const bad = [...(body.create ?? []), ...(body.update ?? [])].find((r) =>
        [r.stocked_quantity, r.incoming_quantity].some(
          (q) => q !== undefined && (!Number.isInteger(q) || q < 0),
        ),
      );
      if (bad)
        return medusaError(
          reply,
          400,
          "invalid_data",
          `Invalid request: quantities must be whole numbers of 0 or more (item ${bad.inventory_item_id})`,
        );
      const creates: Array<{ entry: MedusaEntry; row: Row }> = [];
      for (const row of body.create ?? []) {
        const entry = find(row);
        if (!entry || !location(row.location_id))
          return medusaError(
            reply,
            404,
            "not_found",
            `Inventory item ${row.inventory_item_id} or stock location ${row.location_id} was not found`,
          );
        if (
          entry.levels.some((l) => l.locationId === row.location_id) ||
          creates.some((c) => c.entry === entry && c.row.location_id === row.location_id)
        )
          return medusaError(
            reply,
            400,
            "invalid_data",
            `Inventory level for item ${row.inventory_item_id} at location ${row.location_id} already exists`,
          );
        creates.push({ entry, row });
      }
      const updates: Array<{ entry: MedusaEntry; level: MedusaLevel; row: Row }> = [];
      for (const row of body.update ?? []) {
        const entry = find(row);
        const lvl = entry?.levels.find((l) => l.locationId === row.location_id);
        if (!entry || !lvl)
          return medusaError(
            reply,
            404,
            "not_found",
            `Inventory level for item ${row.inventory_item_id} at location ${row.location_id} was not found`,
          );
        updates.push({ entry, level: lvl, row });
      }
      const deletes: Array<{ entry: MedusaEntry; level: MedusaLevel }> = [];
      for (const id of body.delete ?? []) {
        const entry = st.medusaOrdered.find((e) => !e.deleted && e.levels.some((l) => l.id === id));
        const lvl = entry?.levels.find((l) => l.id === id);
        if (!entry || !lvl)
          return medusaError(reply, 404, "not_found", `Inventory level with id: ${id} was not found`);
        if (lvl.reserved > 0 || (lvl.stocked > 0 && !body.force))
          return medusaError(
            reply,
            400,
            "not_allowed",
            `Cannot remove Inventory Level ${id} at Location ${lvl.locationId} because there are stocked or reserved items at the Location`,
          );
        deletes.push({ entry, level: lvl });
      }
      const now = rt.now();
      const created = creates.map(({ entry, row }) => {
        const lvl: MedusaLevel = {
          id: rt.nextId("ilev_"),
          locationId: row.location_id,
          stocked: row.stocked_quantity ?? 0,
          reserved: 0,
          incoming: row.incoming_quantity ?? 0,
          createdAt: now,
          updatedAt: now,
        };
        entry.levels.push(lvl);
        entry.updatedAt = now;
        return level(entry, lvl);
      });
      for (const u of updates) {
        if (u.row.stocked_quantity !== undefined) {
          u.level.stocked = u.row.stocked_quantity;
          st.countWrite("medusa", u.entry.sku, "quantity");
        }
        if (u.row.incoming_quantity !== undefined) u.level.incoming = u.row.incoming_quantity;
        u.level.updatedAt = now;
        u.entry.updatedAt = now;
      }
      for (const d of deletes) {
        d.entry.levels = d.entry.levels.filter((l) => l !== d.level);
        d.entry.updatedAt = now;
      }
      st.touch();
      return reply.send({
        created,
        updated: updates.map((u) => level(u.entry, u.level)),
        deleted: deletes.map((d) => d.level.id),
      });
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
      st.touch();
      return reply.send({
        inventory_item: selectFields(
          inventoryItem(entry),
          one((request.query as Query).fields),
          INVENTORY_DEFAULTS,
        ),
      });
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
    st.touch();
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
      if (deleted.length) st.touch();
      return reply.send({
        created: [],
        updated: updates.length ? [selectFields(variant(entry), undefined, VARIANT_DEFAULTS)] : [],
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
        st.touch();
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
      st.touch();
      return reply.send({ id: variant_id, object: "variant", deleted: true, parent: product(entry) });
    },
  );
}
