-- CreateTable
CREATE TABLE "sync_schedules" (
    "tenant_id" UUID NOT NULL,
    "interval_minutes" INTEGER NOT NULL,
    "next_run_at" TIMESTAMPTZ(3) NOT NULL,
    "last_run_at" TIMESTAMPTZ(3),

    CONSTRAINT "sync_schedules_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "rate_budgets" (
    "key" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "refilled_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "rate_budgets_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "connector_tokens" (
    "key" TEXT NOT NULL,
    "token" BYTEA NOT NULL,
    "obtained_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "connector_tokens_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "connector_breakers" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "open_until" TIMESTAMPTZ(3),
    "trial" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "connector_breakers_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "sync_schedules_next_run_at_idx" ON "sync_schedules"("next_run_at");

-- AddForeignKey
ALTER TABLE "sync_schedules" ADD CONSTRAINT "sync_schedules_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Written by hand below.

-- One atomic take-and-refill of a token bucket, in one round trip: refills `key` at p_rate up to p_burst since
-- its last take and reserves p_cost tokens, going into debt (a queue of reservations) when short; wait_ms says
-- when the caller may spend them. With p_max_wait_ms, a take that would wait longer reserves nothing
-- (granted false, wait_ms how long it would have waited).
CREATE FUNCTION "rate_budget_take"(
  p_key text, p_rate double precision, p_burst double precision, p_cost double precision,
  p_max_wait_ms double precision
) RETURNS TABLE (granted boolean, wait_ms double precision, level double precision)
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  v_tokens double precision;
  v_at timestamptz;
  v_now timestamptz;
BEGIN
  INSERT INTO rate_budgets (key, tokens, refilled_at) VALUES (p_key, p_burst, clock_timestamp())
    ON CONFLICT (key) DO NOTHING;
  SELECT b.tokens, b.refilled_at INTO v_tokens, v_at FROM rate_budgets b WHERE b.key = p_key FOR UPDATE;
  -- The clock is read once the row is locked, so takes queued on the lock refill in the order they ran.
  v_now := greatest(clock_timestamp(), v_at);
  v_tokens := least(p_burst, v_tokens + extract(epoch FROM v_now - v_at) * p_rate);
  wait_ms := greatest(0, (p_cost - v_tokens) / p_rate * 1000);
  granted := p_max_wait_ms IS NULL OR wait_ms <= p_max_wait_ms;
  IF granted THEN
    v_tokens := v_tokens - p_cost;
  END IF;
  UPDATE rate_budgets SET tokens = v_tokens, refilled_at = v_now WHERE key = p_key;
  level := v_tokens;
  RETURN NEXT;
END
$$;

-- Shared by every process of every tenant; keyed by marketplace account, so no tenant_id and no policy.
GRANT SELECT, INSERT, UPDATE ON "rate_budgets", "connector_tokens", "connector_breakers" TO "inventory_app";
GRANT EXECUTE ON FUNCTION "rate_budget_take"(text, double precision, double precision, double precision, double precision) TO "inventory_app";
