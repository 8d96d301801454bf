-- The delivery log: each outbox message knows the tenant, the user and the alert it belongs to, and its kind is
-- one of four. Messages written before this keep working for the sender; those whose dedupe key names them get
-- their tenant and user back.

-- CreateEnum
CREATE TYPE "MailKind" AS ENUM ('NOTIFICATION', 'DIGEST', 'INVITATION', 'PASSWORD_RESET');

-- AlterTable
ALTER TABLE "mail_outbox" ADD COLUMN     "alert_id" UUID,
ADD COLUMN     "notification_id" UUID,
ADD COLUMN     "recipient_user_id" UUID,
ADD COLUMN     "tenant_id" UUID;

-- The kinds written so far were 'alert', 'alert-digest', 'invitation' and 'password-reset'.
ALTER TABLE "mail_outbox" ALTER COLUMN "kind" TYPE "MailKind" USING (
  CASE "kind"
    WHEN 'alert' THEN 'NOTIFICATION'
    WHEN 'alert-digest' THEN 'DIGEST'
    WHEN 'invitation' THEN 'INVITATION'
    WHEN 'password-reset' THEN 'PASSWORD_RESET'
    ELSE 'NOTIFICATION'
  END
)::"MailKind";

-- CreateIndex
CREATE INDEX "mail_outbox_tenant_id_created_at_id_idx" ON "mail_outbox"("tenant_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "mail_outbox_tenant_id_recipient_user_id_created_at_id_idx" ON "mail_outbox"("tenant_id", "recipient_user_id", "created_at" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_recipient_user_id_fkey" FOREIGN KEY ("recipient_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;



-- ---------------------------------------------------------------------------------------------------
-- Written by hand: backfill, row-level security and grants. The drift check leaves these out.
-- ---------------------------------------------------------------------------------------------------

-- Alert mail: dedupe key `alert-event:<event id>:<user id>`.
UPDATE "mail_outbox" m
   SET "tenant_id" = e."tenant_id", "alert_id" = e."alert_id", "recipient_user_id" = u."id", "notification_id" = n."id"
  FROM "alert_events" e
  JOIN "users" u ON true
  LEFT JOIN "notifications" n ON n."alert_event_id" = e."id"
 WHERE m."dedupe_key" ~ '^alert-event:[0-9a-f-]{36}:[0-9a-f-]{36}$'
   AND e."id" = split_part(m."dedupe_key", ':', 2)::uuid
   AND u."id" = split_part(m."dedupe_key", ':', 3)::uuid
   AND (n."id" IS NULL OR n."user_id" = u."id");

-- Digests: dedupe key `digest:<tenant id>:<user id>:<date>`.
UPDATE "mail_outbox" m
   SET "tenant_id" = t."id", "recipient_user_id" = u."id"
  FROM "tenants" t, "users" u
 WHERE m."dedupe_key" ~ '^digest:[0-9a-f-]{36}:[0-9a-f-]{36}:'
   AND t."id" = split_part(m."dedupe_key", ':', 2)::uuid
   AND u."id" = split_part(m."dedupe_key", ':', 3)::uuid;

-- Errors kept before they were sanitised lose any credentials of a URL (smtp://user:secret@host).
UPDATE "mail_outbox" SET "last_error" = regexp_replace("last_error", '([a-z][a-z0-9+.-]*://)[^/@\s]*@', '\1***@', 'gi')
 WHERE "last_error" ~ '://[^/@\s]*@';

-- The app reads its tenant's messages; rows without a tenant (a password reset) are the sender's alone. The
-- sender, as the owner, reads and writes them all, also when it is not a superuser (inventory_maintenance).
ALTER TABLE "mail_outbox" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "mail_outbox" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "mail_outbox"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
CREATE POLICY tenant_maintenance ON "mail_outbox" TO "inventory_maintenance" USING (true) WITH CHECK (true);

-- Never the body (one-time links) nor the dedupe key: a column grant, so `SELECT body` is refused outright.
GRANT SELECT ("id", "tenant_id", "kind", "recipient_user_id", "alert_id", "notification_id", "to_address",
              "subject", "status", "attempts", "last_error", "next_attempt_at", "sent_at", "created_at")
   ON "mail_outbox" TO inventory_app;
