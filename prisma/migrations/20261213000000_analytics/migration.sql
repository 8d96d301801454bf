-- Analytics read models: daily rollups of finished sync jobs (overall and per platform), of alerts raised and
-- resolved, and of the inventory's value, so a year of analytics reads a few hundred rows instead of the history.
-- The analytics module's periodic job writes them per tenant; days it has not rolled up yet are read live.

-- CreateTable
CREATE TABLE "analytics_rollup_state" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "rolled_through" DATE NOT NULL,
    "refreshed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analytics_rollup_state_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "analytics_sync_daily" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "day" DATE NOT NULL,
    "job_type" "SyncJobType" NOT NULL,
    "jobs" INTEGER NOT NULL,
    "succeeded" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "cancelled" INTEGER NOT NULL,
    "duration_ms_sum" BIGINT NOT NULL,
    "duration_p50_ms" DOUBLE PRECISION,
    "duration_p95_ms" DOUBLE PRECISION,
    "durations_ms" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
    "processed_items" BIGINT NOT NULL,
    "updated_items" BIGINT NOT NULL,
    "failed_items" BIGINT NOT NULL,
    "conflicts" BIGINT NOT NULL,

    CONSTRAINT "analytics_sync_daily_pkey" PRIMARY KEY ("tenant_id","day","job_type")
);

-- CreateTable
CREATE TABLE "analytics_platform_daily" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "day" DATE NOT NULL,
    "job_type" "SyncJobType" NOT NULL,
    "platform" "PlatformKind" NOT NULL,
    "jobs" INTEGER NOT NULL,
    "succeeded" INTEGER NOT NULL,
    "failed_jobs" INTEGER NOT NULL,
    "duration_ms_sum" BIGINT NOT NULL,
    "durations_ms" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
    "read" BIGINT NOT NULL,
    "updated" BIGINT NOT NULL,
    "failed" BIGINT NOT NULL,
    "conflicts" BIGINT NOT NULL,

    CONSTRAINT "analytics_platform_daily_pkey" PRIMARY KEY ("tenant_id","day","job_type","platform")
);

-- CreateTable
CREATE TABLE "analytics_alert_daily" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "day" DATE NOT NULL,
    "type" "AlertType" NOT NULL,
    "priority" "AlertPriority" NOT NULL,
    "raised" INTEGER NOT NULL,
    "resolved" INTEGER NOT NULL,

    CONSTRAINT "analytics_alert_daily_pkey" PRIMARY KEY ("tenant_id","day","type","priority")
);

-- CreateTable
CREATE TABLE "analytics_value_daily" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "day" DATE NOT NULL,
    "scope" TEXT NOT NULL,
    "units" BIGINT NOT NULL,
    "value_at_price" DECIMAL(18,2) NOT NULL,
    "value_at_cost" DECIMAL(18,2) NOT NULL,

    CONSTRAINT "analytics_value_daily_pkey" PRIMARY KEY ("tenant_id","day","scope")
);

-- CreateIndex
CREATE INDEX "alerts_tenant_id_created_at_idx" ON "alerts"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "alerts_tenant_id_resolved_at_idx" ON "alerts"("tenant_id", "resolved_at");

-- AddForeignKey
ALTER TABLE "analytics_rollup_state" ADD CONSTRAINT "analytics_rollup_state_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analytics_sync_daily" ADD CONSTRAINT "analytics_sync_daily_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analytics_platform_daily" ADD CONSTRAINT "analytics_platform_daily_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analytics_alert_daily" ADD CONSTRAINT "analytics_alert_daily_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analytics_value_daily" ADD CONSTRAINT "analytics_value_daily_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Covering indexes for the aggregates over the current stock: index-only scans keyed by the tenant.
-- CreateIndex
CREATE INDEX "products_tenant_id_id_cost_idx" ON "products"("tenant_id", "id", "cost");

-- CreateIndex
CREATE INDEX "seller_inventory_tenant_id_fulfillment_channel_status_produ_idx" ON "seller_inventory"("tenant_id", "fulfillment_channel", "status", "product_id", "quantity", "reserved_quantity", "price");

-- CreateIndex
CREATE INDEX "product_listings_tenant_id_platform_status_product_id_quant_idx" ON "product_listings"("tenant_id", "platform", "status", "product_id", "quantity", "price");

-- CreateIndex
CREATE INDEX "alerts_tenant_id_status_type_priority_idx" ON "alerts"("tenant_id", "status", "type", "priority");


-- Tenant isolation as everywhere: the application reads and refreshes its own tenant's rows only.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'analytics_rollup_state', 'analytics_sync_daily', 'analytics_platform_daily', 'analytics_alert_daily',
    'analytics_value_daily'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())',
      t
    );
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO inventory_app', t);
  END LOOP;
END
$$;

