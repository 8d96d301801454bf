-- sync_history by month: declarative range partitions on created_at, so queries over recent history touch
-- only recent partitions and history past its retention leaves by dropping a partition, not by deleting rows.

-- Creates the monthly partitions that cover [from_ts, to_ts); returns how many it made. Serialised by an
-- advisory lock, so every process may call it at start.
CREATE FUNCTION "sync_history_ensure_partitions"(from_ts timestamptz, to_ts timestamptz) RETURNS integer
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  month date := date_trunc('month', from_ts AT TIME ZONE 'UTC')::date;
  made integer := 0;
  name text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('sync_history_partitions', 0));
  WHILE month < to_ts AT TIME ZONE 'UTC' LOOP
    name := format('sync_history_%s', to_char(month, 'YYYY_MM'));
    IF to_regclass(name) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF sync_history FOR VALUES FROM (%L) TO (%L)',
        name, (month::timestamp AT TIME ZONE 'UTC'), ((month + interval '1 month')::timestamp AT TIME ZONE 'UTC')
      );
      made := made + 1;
    END IF;
    month := (month + interval '1 month')::date;
  END LOOP;
  RETURN made;
END;
$$;

CREATE TABLE "sync_history_partitioned" (LIKE "sync_history" INCLUDING DEFAULTS) PARTITION BY RANGE ("created_at");
ALTER TABLE "sync_history" RENAME TO "sync_history_unpartitioned";
ALTER TABLE "sync_history_partitioned" RENAME TO "sync_history";

-- From the oldest row kept (or 13 months back) to three months ahead.
SELECT "sync_history_ensure_partitions"(
  LEAST(now() - interval '13 months', (SELECT min("created_at") FROM "sync_history_unpartitioned")),
  now() + interval '3 months'
);
-- Rows stamped beyond three months ahead (a clock far off) get partitions of their own.
SELECT "sync_history_ensure_partitions"(now(), (SELECT max("created_at") + interval '1 month' FROM "sync_history_unpartitioned"))
 WHERE (SELECT max("created_at") FROM "sync_history_unpartitioned") >= now() + interval '3 months';

INSERT INTO "sync_history" SELECT * FROM "sync_history_unpartitioned";
DROP TABLE "sync_history_unpartitioned";

-- A partitioned table's primary key must hold its partition key.
ALTER TABLE "sync_history" ADD CONSTRAINT "sync_history_pkey" PRIMARY KEY ("id", "created_at");
-- Each index ends in the page's own order (created_at, id), so every partition hands its rows over in order.
CREATE INDEX "sync_history_tenant_id_created_at_id_idx" ON "sync_history"("tenant_id", "created_at" DESC, "id" DESC);
CREATE INDEX "sync_history_product_id_created_at_idx" ON "sync_history"("product_id", "created_at" DESC);
CREATE INDEX "sync_history_job_id_idx" ON "sync_history"("job_id");
-- One item's timeline (the history filtered by SKU), newest first.
CREATE INDEX "sync_history_tenant_id_sku_created_at_id_idx" ON "sync_history"("tenant_id", "sku", "created_at" DESC, "id" DESC);
ALTER TABLE "sync_history" ADD CONSTRAINT "sync_history_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sync_history" ADD CONSTRAINT "sync_history_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "sync_history" ADD CONSTRAINT "sync_history_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "sync_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "sync_history" ADD CONSTRAINT "sync_history_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "platform_connections"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- As before: append-only, one tenant's rows per transaction, the application may read and add.
CREATE TRIGGER "sync_history_no_update" BEFORE UPDATE ON "sync_history"
  FOR EACH ROW EXECUTE FUNCTION "sync_history_append_only"();
ALTER TABLE "sync_history" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sync_history" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sync_history"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
GRANT SELECT, INSERT ON "sync_history" TO "inventory_app";
