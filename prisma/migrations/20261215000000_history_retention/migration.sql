-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "history_retention_months" INTEGER NOT NULL DEFAULT 13;

-- CreateTable
CREATE TABLE "history_archives" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "month" DATE NOT NULL,
    "part" INTEGER NOT NULL DEFAULT 1,
    "rows" INTEGER NOT NULL,
    "bytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "history_archives_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "history_archives_tenant_id_month_part_key" ON "history_archives"("tenant_id", "month", "part");

-- CreateIndex
CREATE INDEX "sync_job_items_tenant_id_created_at_idx" ON "sync_job_items"("tenant_id", "created_at");

-- AddForeignKey
ALTER TABLE "history_archives" ADD CONSTRAINT "history_archives_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------------------------------

-- Retention is whole months, from one month to ten years; the API reports the same bounds as userErrors.
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_history_retention_months_check"
  CHECK ("history_retention_months" BETWEEN 1 AND 120);

-- The tenant reads its archives; only the maintenance job (the owner role) writes them.
ALTER TABLE "history_archives" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "history_archives" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "history_archives"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
GRANT SELECT ON "history_archives" TO "inventory_app";
