-- CreateTable
CREATE TABLE "analytics_stock_counters" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "id" BIGSERIAL NOT NULL,
    "scope" TEXT NOT NULL,
    "channel" "FulfillmentChannel",
    "platform" "PlatformKind",
    "status" "ListingStatus",
    "items" BIGINT NOT NULL DEFAULT 0,
    "units" BIGINT NOT NULL DEFAULT 0,
    "available_units" BIGINT NOT NULL DEFAULT 0,
    "value_at_price" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "value_at_cost" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "items_without_price" BIGINT NOT NULL DEFAULT 0,
    "items_without_cost" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "analytics_stock_counters_pkey" PRIMARY KEY ("tenant_id","id")
);

-- AddForeignKey
ALTER TABLE "analytics_stock_counters" ADD CONSTRAINT "analytics_stock_counters_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;



-- Written by hand: what schema.prisma cannot express. The drift check leaves these out.
-- ---------------------------------------------------------------------------------------------------

-- Maintenance across tenants. The database owner runs migrations and the cross-tenant maintenance jobs; when it
-- is not a superuser, FORCE ROW LEVEL SECURITY hides every tenant from it, so a job listing the tenants found
-- none. Members of inventory_maintenance (the role that ran this migration) may list every tenant and write
-- any tenant's stock counters; inventory_app is not a member and stays confined to its tenant.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'inventory_maintenance') THEN
    CREATE ROLE "inventory_maintenance" NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT pg_has_role(current_user, 'inventory_maintenance', 'USAGE') THEN
    EXECUTE format('GRANT inventory_maintenance TO %I', current_user);
  END IF;
END
$$;
CREATE POLICY tenant_maintenance ON "tenants" FOR SELECT TO "inventory_maintenance" USING (true);

ALTER TABLE "analytics_stock_counters" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "analytics_stock_counters" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "analytics_stock_counters"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
CREATE POLICY tenant_maintenance ON "analytics_stock_counters" TO "inventory_maintenance"
  USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON "analytics_stock_counters" TO inventory_app;
GRANT USAGE ON SEQUENCE "analytics_stock_counters_id_seq" TO inventory_app;

-- The counters' truth: the caller's tenant's stock (row-level security picks it) counted at counter granularity.
-- The refresh compares the summed counters with it and the repair writes it back; the triggers keep the
-- difference at zero between those.
CREATE FUNCTION "analytics_stock_recount"()
  RETURNS TABLE (scope text, channel "FulfillmentChannel", platform "PlatformKind", status "ListingStatus",
                 items bigint, units bigint, available_units bigint, value_at_price numeric,
                 value_at_cost numeric, items_without_price bigint, items_without_cost bigint)
  LANGUAGE sql STABLE AS $$
  SELECT 'ITEM', s.fulfillment_channel, NULL::"PlatformKind", s.status, count(*), sum(s.quantity)::bigint,
         sum(s.quantity - s.reserved_quantity)::bigint, coalesce(sum(s.quantity * s.price), 0),
         coalesce(sum(s.quantity * p.cost), 0), count(*) FILTER (WHERE s.price IS NULL),
         count(*) FILTER (WHERE p.cost IS NULL)
    FROM seller_inventory s JOIN products p ON p.id = s.product_id
   GROUP BY s.fulfillment_channel, s.status
  UNION ALL
  SELECT 'LISTING', NULL, l.platform, l.status, count(*), sum(l.quantity)::bigint, 0,
         coalesce(sum(l.quantity * l.price), 0), coalesce(sum(l.quantity * p.cost), 0), 0, 0
    FROM product_listings l JOIN products p ON p.id = l.product_id
   GROUP BY l.platform, l.status
  UNION ALL
  SELECT 'PLATFORM', NULL, d.platform, NULL, count(*), 0, 0, 0, 0, 0, 0
    FROM seller_inventory s JOIN (SELECT DISTINCT product_id, platform FROM product_listings) d
      ON d.product_id = s.product_id
   GROUP BY d.platform
$$;
GRANT EXECUTE ON FUNCTION "analytics_stock_recount"() TO inventory_app;

-- Orders the counters' writers, so that of two concurrent writers whose deltas depend on each other's rows the
-- second reads after the first committed (no cross term such as new quantity times new cost is lost). Each trigger
-- locks the products of its rows FOR SHARE before reading costs (a cost change holds them by its UPDATE), and a
-- statement that adds, removes or moves items or listings takes the tenant's membership lock before it reads the
-- other table. The tenant's stock lock, shared here, lets a repair (exclusive) recount while no counter is written.
CREATE FUNCTION "analytics_stock_lock"(tenants uuid[], product_ids uuid[], members boolean) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  t uuid;
BEGIN
  FOR t IN SELECT DISTINCT x FROM unnest(tenants) x WHERE x IS NOT NULL ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock_shared(hashtextextended('analytics_stock:' || t, 0));
    IF members THEN
      PERFORM pg_advisory_xact_lock(hashtextextended('analytics_stock_members:' || t, 0));
    END IF;
  END LOOP;
  PERFORM 1 FROM products WHERE id = ANY (product_ids) ORDER BY id FOR SHARE;
END
$$;

-- A statement's rows with their sign: +1 for the rows it wrote, -1 for the rows it replaced or removed.
CREATE FUNCTION "analytics_stock_rows"(op text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE op
    WHEN 'INSERT' THEN 'SELECT 1 AS sgn, * FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT -1 AS sgn, * FROM old_rows'
    ELSE 'SELECT 1 AS sgn, * FROM new_rows UNION ALL SELECT -1 AS sgn, * FROM old_rows' END
$$;

-- Seller inventory: its deltas by channel and status, and by platform when an item comes, goes or changes product.
CREATE FUNCTION "analytics_seller_inventory_counters"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  src text := analytics_stock_rows(TG_OP);
  tenants uuid[];
  product_ids uuid[];
  moved boolean;
BEGIN
  EXECUTE 'SELECT array_agg(DISTINCT tenant_id), array_agg(DISTINCT product_id) FROM (' || src || ') r'
     INTO tenants, product_ids;
  IF tenants IS NULL THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' THEN
    moved := EXISTS (SELECT id, product_id, tenant_id FROM new_rows
                      EXCEPT SELECT id, product_id, tenant_id FROM old_rows);
  ELSE
    moved := true;
  END IF;
  PERFORM analytics_stock_lock(tenants, product_ids, moved);
  EXECUTE 'INSERT INTO analytics_stock_counters (tenant_id, scope, channel, status, items, units, available_units,
                                                 value_at_price, value_at_cost, items_without_price, items_without_cost)
           SELECT r.tenant_id, ''ITEM'', r.fulfillment_channel, r.status, sum(r.sgn), sum(r.sgn * r.quantity),
                  sum(r.sgn * (r.quantity - r.reserved_quantity)), coalesce(sum(r.sgn * r.quantity * r.price), 0),
                  coalesce(sum(r.sgn * r.quantity * p.cost), 0), coalesce(sum(r.sgn) FILTER (WHERE r.price IS NULL), 0),
                  coalesce(sum(r.sgn) FILTER (WHERE p.cost IS NULL), 0)
             FROM (' || src || ') r LEFT JOIN products p ON p.id = r.product_id
            WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.id = r.tenant_id)
            GROUP BY r.tenant_id, r.fulfillment_channel, r.status
           HAVING sum(r.sgn) <> 0 OR sum(r.sgn * r.quantity) <> 0 OR sum(r.sgn * r.reserved_quantity) <> 0
               OR coalesce(sum(r.sgn * r.quantity * r.price), 0) <> 0 OR coalesce(sum(r.sgn * r.quantity * p.cost), 0) <> 0
               OR coalesce(sum(r.sgn) FILTER (WHERE r.price IS NULL), 0) <> 0
               OR coalesce(sum(r.sgn) FILTER (WHERE p.cost IS NULL), 0) <> 0';
  IF moved THEN
    EXECUTE 'INSERT INTO analytics_stock_counters (tenant_id, scope, platform, items)
             SELECT c.tenant_id, ''PLATFORM'', d.platform, sum(c.net)
               FROM (SELECT tenant_id, product_id, sum(sgn) AS net FROM (' || src || ') r
                      GROUP BY 1, 2 HAVING sum(sgn) <> 0) c
              CROSS JOIN LATERAL (SELECT DISTINCT l.platform FROM product_listings l
                                   WHERE l.product_id = c.product_id) d
              WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.id = c.tenant_id)
              GROUP BY 1, 3 HAVING sum(c.net) <> 0';
    -- Listings this transaction wrote may come from this very statement (one statement inserting items and their
    -- listings together): then the listings' trigger counts the same items, so the counters are recounted.
    INSERT INTO analytics_stock_counters (tenant_id, scope)
    SELECT DISTINCT l.tenant_id, 'STALE' FROM product_listings l
     WHERE l.product_id = ANY (product_ids) AND l.xmin = pg_current_xact_id()::xid
       AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = l.tenant_id);
  END IF;
  IF TG_OP = 'DELETE' THEN
    -- Removed with its product (a cascade): its cost is gone, so the counters are marked to be recounted.
    INSERT INTO analytics_stock_counters (tenant_id, scope)
    SELECT DISTINCT o.tenant_id, 'STALE' FROM old_rows o
     WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.id = o.product_id)
       AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = o.tenant_id);
  END IF;
  RETURN NULL;
END
$$;

-- Listings: their deltas by platform and status, and items per platform when a product gains or loses its first
-- or last listing on a platform.
CREATE FUNCTION "analytics_product_listings_counters"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  src text := analytics_stock_rows(TG_OP);
  tenants uuid[];
  product_ids uuid[];
  moved boolean;
BEGIN
  EXECUTE 'SELECT array_agg(DISTINCT tenant_id), array_agg(DISTINCT product_id) FROM (' || src || ') r'
     INTO tenants, product_ids;
  IF tenants IS NULL THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' THEN
    moved := EXISTS (SELECT id, product_id, platform, tenant_id FROM new_rows
                      EXCEPT SELECT id, product_id, platform, tenant_id FROM old_rows);
  ELSE
    moved := true;
  END IF;
  PERFORM analytics_stock_lock(tenants, product_ids, moved);
  EXECUTE 'INSERT INTO analytics_stock_counters (tenant_id, scope, platform, status, items, units, value_at_price,
                                                 value_at_cost)
           SELECT r.tenant_id, ''LISTING'', r.platform, r.status, sum(r.sgn), sum(r.sgn * r.quantity),
                  coalesce(sum(r.sgn * r.quantity * r.price), 0), coalesce(sum(r.sgn * r.quantity * p.cost), 0)
             FROM (' || src || ') r LEFT JOIN products p ON p.id = r.product_id
            WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.id = r.tenant_id)
            GROUP BY r.tenant_id, r.platform, r.status
           HAVING sum(r.sgn) <> 0 OR sum(r.sgn * r.quantity) <> 0
               OR coalesce(sum(r.sgn * r.quantity * r.price), 0) <> 0 OR coalesce(sum(r.sgn * r.quantity * p.cost), 0) <> 0';
  IF moved THEN
    -- A product is on a platform while it has a listing there: compare the count now with the count before.
    EXECUTE 'INSERT INTO analytics_stock_counters (tenant_id, scope, platform, items)
             SELECT c.tenant_id, ''PLATFORM'', c.platform,
                    sum(((cur.n > 0)::int - (cur.n - c.net > 0)::int) * si.n)
               FROM (SELECT tenant_id, product_id, platform, sum(sgn) AS net FROM (' || src || ') r
                      GROUP BY 1, 2, 3 HAVING sum(sgn) <> 0) c
              CROSS JOIN LATERAL (SELECT count(*) AS n FROM product_listings l
                                   WHERE l.product_id = c.product_id AND l.platform = c.platform) cur
              CROSS JOIN LATERAL (SELECT count(*) AS n FROM seller_inventory s WHERE s.product_id = c.product_id) si
              WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.id = c.tenant_id)
              GROUP BY 1, 3 HAVING sum(((cur.n > 0)::int - (cur.n - c.net > 0)::int) * si.n) <> 0';
  END IF;
  IF TG_OP = 'DELETE' THEN
    INSERT INTO analytics_stock_counters (tenant_id, scope)
    SELECT DISTINCT o.tenant_id, 'STALE' FROM old_rows o
     WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.id = o.product_id)
       AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = o.tenant_id);
  END IF;
  RETURN NULL;
END
$$;

-- Products: a changed cost revalues every item and listing of the product.
CREATE FUNCTION "analytics_products_counters"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tenants uuid[];
  -- The changed costs, old (-1) and new (+1). Set operations, not a join: the transition tables carry no
  -- statistics, and a join of them was planned as a nested loop (minutes for 10,000 rows).
  changes constant text := '
    SELECT 1 AS sgn, n.id, n.tenant_id, n.cost FROM new_rows n
     WHERE n.id IN (SELECT id FROM (SELECT id, cost FROM new_rows EXCEPT SELECT id, cost FROM old_rows) x)
    UNION ALL
    SELECT -1, o.id, o.tenant_id, o.cost FROM old_rows o
     WHERE o.id IN (SELECT id FROM (SELECT id, cost FROM new_rows EXCEPT SELECT id, cost FROM old_rows) x)';
BEGIN
  EXECUTE 'SELECT array_agg(DISTINCT tenant_id) FROM (' || changes || ') r' INTO tenants;
  IF tenants IS NULL THEN RETURN NULL; END IF;
  -- Its UPDATE holds the products: writers of their items and listings wait, or committed before it read them.
  PERFORM pg_advisory_xact_lock_shared(hashtextextended('analytics_stock:' || t, 0)) FROM unnest(tenants) t;
  EXECUTE 'INSERT INTO analytics_stock_counters (tenant_id, scope, channel, status, value_at_cost, items_without_cost)
           SELECT s.tenant_id, ''ITEM'', s.fulfillment_channel, s.status, sum(r.sgn * s.quantity * coalesce(r.cost, 0)),
                  sum(r.sgn * (r.cost IS NULL)::int)
             FROM (' || changes || ') r JOIN seller_inventory s ON s.product_id = r.id
            WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.id = s.tenant_id)
            GROUP BY 1, 3, 4';
  EXECUTE 'INSERT INTO analytics_stock_counters (tenant_id, scope, platform, status, value_at_cost)
           SELECT l.tenant_id, ''LISTING'', l.platform, l.status, sum(r.sgn * l.quantity * coalesce(r.cost, 0))
             FROM (' || changes || ') r JOIN product_listings l ON l.product_id = r.id
            WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.id = l.tenant_id)
            GROUP BY 1, 3, 4';
  RETURN NULL;
END
$$;

-- The counters are bookkeeping, not the writer's business: the triggers run as the owner, so any role that may
-- write the stock (a seeder with INSERT alone, say) keeps them without rights on the counters or on products.
ALTER FUNCTION "analytics_seller_inventory_counters"() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION "analytics_product_listings_counters"() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION "analytics_products_counters"() SECURITY DEFINER SET search_path = public, pg_temp;

-- Statement-level: a bulk write of 10,000 rows runs each trigger once over its transition tables.
CREATE TRIGGER analytics_counters_insert AFTER INSERT ON "seller_inventory"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_seller_inventory_counters();
CREATE TRIGGER analytics_counters_update AFTER UPDATE ON "seller_inventory"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_seller_inventory_counters();
CREATE TRIGGER analytics_counters_delete AFTER DELETE ON "seller_inventory"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_seller_inventory_counters();
CREATE TRIGGER analytics_counters_insert AFTER INSERT ON "product_listings"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_product_listings_counters();
CREATE TRIGGER analytics_counters_update AFTER UPDATE ON "product_listings"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_product_listings_counters();
CREATE TRIGGER analytics_counters_delete AFTER DELETE ON "product_listings"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_product_listings_counters();
CREATE TRIGGER analytics_counters_update AFTER UPDATE ON "products"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_products_counters();

-- The stock there already, counted per tenant (as that tenant: row-level security applies to the owner too).
DO $$
DECLARE
  t uuid;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    INSERT INTO analytics_stock_counters (tenant_id, scope, channel, platform, status, items, units, available_units,
                                          value_at_price, value_at_cost, items_without_price, items_without_cost)
    SELECT t, r.* FROM analytics_stock_recount() r;
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END
$$;
