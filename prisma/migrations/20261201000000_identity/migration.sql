-- Roles: MEMBER becomes EDITOR (edits inventory, syncs, conflicts and alerts; no settings).
ALTER TYPE "UserRole" RENAME VALUE 'MEMBER' TO 'EDITOR';

-- CreateTable
CREATE TABLE "memberships" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "user_id" UUID NOT NULL,
    "role" "UserRole" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

-- Users become global (one person, several tenants): each existing user keeps its access as a membership,
-- and one address in several tenants becomes one user.
INSERT INTO "memberships" ("tenant_id", "user_id", "role", "created_at", "updated_at")
SELECT u."tenant_id", keep."id", u."role", u."created_at", now()
  FROM "users" u
  JOIN LATERAL (
    SELECT k."id" FROM "users" k WHERE lower(k."email") = lower(u."email")
     ORDER BY k."created_at", k."id" LIMIT 1
  ) keep ON true
ON CONFLICT DO NOTHING;
UPDATE "api_keys" a SET "created_by_id" = (
    SELECT k."id" FROM "users" k, "users" u
     WHERE u."id" = a."created_by_id" AND lower(k."email") = lower(u."email")
     ORDER BY k."created_at", k."id" LIMIT 1)
 WHERE a."created_by_id" IS NOT NULL;
DELETE FROM "users" u WHERE EXISTS (
  SELECT 1 FROM "users" k
   WHERE lower(k."email") = lower(u."email") AND (k."created_at", k."id") < (u."created_at", u."id"));
UPDATE "users" SET "email" = lower("email");

DROP POLICY "tenant_isolation" ON "users";

-- DropForeignKey
ALTER TABLE "users" DROP CONSTRAINT "users_tenant_id_fkey";

-- DropIndex
DROP INDEX "users_tenant_id_email_key";

-- AlterTable
ALTER TABLE "users" DROP COLUMN "last_login_at",
DROP COLUMN "role",
DROP COLUMN "tenant_id",
ADD COLUMN     "last_sign_in_at" TIMESTAMPTZ(3);


-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "user_agent" TEXT,
    "ip" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "last_used_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "revoke_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refresh_tokens" (
    "token_hash" TEXT NOT NULL,
    "session_id" UUID NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "refresh_tokens_pkey" PRIMARY KEY ("token_hash")
);

-- CreateTable
CREATE TABLE "password_resets" (
    "token_hash" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "password_resets_pkey" PRIMARY KEY ("token_hash")
);

-- CreateTable
CREATE TABLE "invitations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "email" TEXT NOT NULL,
    "role" "UserRole" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_by_id" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sign_in_throttle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "first_failure_at" TIMESTAMPTZ(3),
    "locked_until" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sign_in_throttle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "rate_buckets" (
    "key" TEXT NOT NULL,
    "level" DOUBLE PRECISION NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rate_buckets_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "actor_type" "ActorType" NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "ip" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_tenant_id_user_id_key" ON "memberships"("tenant_id", "user_id");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE INDEX "refresh_tokens_session_id_idx" ON "refresh_tokens"("session_id");

-- CreateIndex
CREATE INDEX "password_resets_user_id_idx" ON "password_resets"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");

-- CreateIndex
CREATE INDEX "invitations_tenant_id_created_at_idx" ON "invitations"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "audit_events_tenant_id_created_at_idx" ON "audit_events"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "audit_events_tenant_id_action_created_at_idx" ON "audit_events"("tenant_id", "action", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------------------------------
-- Written by hand: roles, row-level security and grants. The drift check leaves these out.
-- ---------------------------------------------------------------------------------------------------

-- Identity lookups happen before a request knows its tenant (sign-in by address, an API key by its hash, a
-- session by id). They run as inventory_auth, which sees only the identity tables; requests keep running as
-- inventory_app, which reads its tenant's memberships, keys and audit events under row-level security.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'inventory_auth') THEN
    CREATE ROLE "inventory_auth" NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO "inventory_auth";
GRANT EXECUTE ON FUNCTION "app_current_tenant"() TO "inventory_auth";

-- Tenant-owned identity tables: the tenant's own rows for inventory_app, every row for inventory_auth.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['memberships', 'invitations', 'audit_events'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())',
      t
    );
  END LOOP;
  FOREACH t IN ARRAY ARRAY['memberships', 'invitations', 'audit_events', 'api_keys'] LOOP
    EXECUTE format('CREATE POLICY identity_service ON %I TO inventory_auth USING (true) WITH CHECK (true)', t);
  END LOOP;
  -- Tables no tenant owns: inventory_auth only.
  FOREACH t IN ARRAY ARRAY['users', 'sessions', 'refresh_tokens', 'password_resets', 'sign_in_throttle', 'rate_buckets'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY identity_service ON %I TO inventory_auth USING (true) WITH CHECK (true)', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO inventory_auth', t);
  END LOOP;
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON "memberships", "invitations" TO "inventory_app", "inventory_auth";
GRANT SELECT, INSERT, UPDATE ON "api_keys" TO "inventory_auth";
GRANT SELECT, INSERT ON "audit_events" TO "inventory_app", "inventory_auth";
REVOKE UPDATE, DELETE ON "audit_events" FROM "inventory_app";

-- A tenant's team is visible to its requests, passwords never: inventory_app reads the members of its
-- own tenant, and only these columns.
CREATE POLICY team_members ON "users" FOR SELECT TO inventory_app USING (
  EXISTS (SELECT 1 FROM "memberships" m WHERE m."user_id" = "users"."id" AND m."tenant_id" = app_current_tenant())
);
REVOKE ALL ON "users" FROM "inventory_app";
GRANT SELECT ("id", "email", "name", "last_sign_in_at", "created_at", "updated_at") ON "users" TO "inventory_app";

-- inventory_auth names tenants for a user's memberships and checks them when a request picks one.
CREATE POLICY identity_service ON "tenants" FOR SELECT TO inventory_auth USING (true);
GRANT SELECT ("id", "slug", "name") ON "tenants" TO "inventory_auth";

-- The audit log is append-only, like history.
CREATE FUNCTION "append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "audit_events_no_update" BEFORE UPDATE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "append_only"();

ALTER TABLE "users" ADD CONSTRAINT "users_email_lower_check" CHECK ("email" = lower("email"));

-- One atomic take from a leaky bucket shared by every server process: refill by the time elapsed (the
-- database's clock, so skewed process clocks cannot mint points), then subtract `cost` if the bucket holds
-- it. A negative cost gives points back (never above capacity).
CREATE FUNCTION "rate_bucket_take"(
  p_key text, p_capacity float8, p_restore_per_second float8, p_cost float8,
  OUT ok boolean, OUT available float8
) LANGUAGE plpgsql AS $$
DECLARE
  stored float8;
  stamped timestamptz;
  now_ts timestamptz;
  current float8;
BEGIN
  INSERT INTO rate_buckets (key, level, updated_at) VALUES (p_key, p_capacity, clock_timestamp())
    ON CONFLICT (key) DO NOTHING;
  SELECT level, updated_at INTO stored, stamped FROM rate_buckets WHERE key = p_key FOR UPDATE;
  now_ts := clock_timestamp();
  current := LEAST(p_capacity, stored + GREATEST(0, EXTRACT(EPOCH FROM now_ts - stamped)) * p_restore_per_second);
  ok := current >= p_cost;
  available := CASE WHEN ok THEN LEAST(p_capacity, current - p_cost) ELSE current END;
  UPDATE rate_buckets SET level = available, updated_at = now_ts WHERE key = p_key;
END
$$;
REVOKE ALL ON FUNCTION "rate_bucket_take"(text, float8, float8, float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "rate_bucket_take"(text, float8, float8, float8) TO "inventory_auth";
