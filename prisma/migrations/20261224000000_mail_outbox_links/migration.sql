-- A delivery's alert and notification are foreign keys: the log can no longer name an alert that never existed,
-- and a message outlives its alert or notification (the link is cleared, the row stays).

-- Written by hand, before the constraints: links to rows that are gone already are cleared.
UPDATE "mail_outbox" m SET "alert_id" = NULL
 WHERE m."alert_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "alerts" a WHERE a."id" = m."alert_id");
UPDATE "mail_outbox" m SET "notification_id" = NULL
 WHERE m."notification_id" IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM "notifications" n WHERE n."id" = m."notification_id");

-- CreateIndex
CREATE INDEX "mail_outbox_alert_id_idx" ON "mail_outbox"("alert_id");

-- CreateIndex
CREATE INDEX "mail_outbox_notification_id_idx" ON "mail_outbox"("notification_id");

-- AddForeignKey
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE SET NULL ON UPDATE CASCADE;

