-- CreateEnum
CREATE TYPE "AlertEventKind" AS ENUM ('RAISED', 'REOPENED', 'ESCALATED', 'RESOLVED');

-- AlterTable
ALTER TABLE "alerts" ADD COLUMN     "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "reopened_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "resolution_reason" TEXT;

-- CreateTable
CREATE TABLE "alert_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "alert_id" UUID NOT NULL,
    "kind" "AlertEventKind" NOT NULL,
    "priority" "AlertPriority" NOT NULL,
    "cause" TEXT NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_events_alert_id_created_at_idx" ON "alert_events"("alert_id", "created_at");

-- CreateIndex
CREATE INDEX "alert_events_tenant_id_created_at_idx" ON "alert_events"("tenant_id", "created_at");

-- AddForeignKey
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;




-- ---------------------------------------------------------------------------------------------------
-- Written by hand: row-level security and grants. The drift check leaves these out.
-- ---------------------------------------------------------------------------------------------------

ALTER TABLE "alert_events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "alert_events" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "alert_events"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
-- Append-only: the history of an alert is never rewritten.
GRANT SELECT, INSERT ON "alert_events" TO inventory_app;

-- Alerts resolved before this migration keep a reason, so every resolved alert says why.
UPDATE "alerts" SET "resolution_reason" = 'Resolved by ' || coalesce("resolved_by", 'system')
 WHERE "status" = 'RESOLVED' AND "resolution_reason" IS NULL;
UPDATE "alerts" SET "last_seen_at" = "updated_at";
