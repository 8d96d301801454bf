-- CreateEnum
CREATE TYPE "NotificationEmailMode" AS ENUM ('OFF', 'IMMEDIATE', 'DAILY_DIGEST');

-- AlterTable
ALTER TABLE "mail_outbox" ADD COLUMN     "dedupe_key" TEXT;

-- CreateTable
CREATE TABLE "notification_preferences" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "user_id" UUID NOT NULL,
    "types" "AlertType"[],
    "priorities" "AlertPriority"[],
    "in_app" BOOLEAN NOT NULL DEFAULT true,
    "email_mode" "NotificationEmailMode" NOT NULL DEFAULT 'OFF',
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "quiet_start" INTEGER,
    "quiet_end" INTEGER,
    "digest_hour" INTEGER NOT NULL DEFAULT 8,
    "last_digest_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "user_id" UUID NOT NULL,
    "alert_id" UUID NOT NULL,
    "alert_event_id" UUID NOT NULL,
    "kind" "AlertEventKind" NOT NULL,
    "priority" "AlertPriority" NOT NULL,
    "type" "AlertType" NOT NULL,
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "in_app" BOOLEAN NOT NULL DEFAULT true,
    "email_state" TEXT NOT NULL DEFAULT 'NONE',
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_dispatches" (
    "alert_event_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "dispatched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_dispatches_pkey" PRIMARY KEY ("alert_event_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "notification_preferences_tenant_id_user_id_key" ON "notification_preferences"("tenant_id", "user_id");

-- CreateIndex
CREATE INDEX "notifications_tenant_id_user_id_created_at_id_idx" ON "notifications"("tenant_id", "user_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "notifications_email_state_idx" ON "notifications"("email_state");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_alert_event_id_user_id_key" ON "notifications"("alert_event_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "mail_outbox_dedupe_key_key" ON "mail_outbox"("dedupe_key");

-- AddForeignKey
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;




-- ---------------------------------------------------------------------------------------------------
-- Written by hand: row-level security and grants. The drift check leaves these out.
-- ---------------------------------------------------------------------------------------------------

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['notifications', 'notification_preferences'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())',
      t
    );
  END LOOP;
END
$$;

-- Notifications are made by the dispatcher (as the owner); the app reads them and marks them read.
GRANT SELECT, UPDATE ("read_at") ON "notifications" TO inventory_app;
GRANT SELECT, INSERT, UPDATE ON "notification_preferences" TO inventory_app;
-- notification_dispatches is the dispatcher's cursor, owner-only like mail_outbox: no grant.

-- The dispatcher looks for recent alert events not handled yet.
CREATE INDEX "alert_events_created_at_idx" ON "alert_events"("created_at");
