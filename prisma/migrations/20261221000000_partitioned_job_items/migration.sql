-- sync_job_items by the month its job was created: declarative range partitions on job_created_at, so one job's
-- items sit in one partition (a job's lookups touch only it) and items past retention leave by dropping a
-- partition, not by deleting rows. The key is the job's creation time, not the item's, so the unique key a
-- resumed job relies on (job, SKU, platform, field) stays whole: job_created_at is fixed by the job, and the
-- foreign key to (sync_jobs.id, sync_jobs.created_at) keeps it so.

-- Creates the monthly partitions that cover [from_ts, to_ts); returns how many it made. Serialised by an
-- advisory lock, so every process may call it at start.
CREATE FUNCTION "sync_job_items_ensure_partitions"(from_ts timestamptz, to_ts timestamptz) RETURNS integer
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  month date := date_trunc('month', from_ts AT TIME ZONE 'UTC')::date;
  made integer := 0;
  name text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('sync_job_items_partitions', 0));
  WHILE month < to_ts AT TIME ZONE 'UTC' LOOP
    name := format('sync_job_items_%s', to_char(month, 'YYYY_MM'));
    IF to_regclass(name) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF sync_job_items FOR VALUES FROM (%L) TO (%L)',
        name, (month::timestamp AT TIME ZONE 'UTC'), ((month + interval '1 month')::timestamp AT TIME ZONE 'UTC')
      );
      made := made + 1;
    END IF;
    month := (month + interval '1 month')::date;
  END LOOP;
  RETURN made;
END;
$$;

-- What an item's foreign key names: a job's id with its creation time.
CREATE UNIQUE INDEX "sync_jobs_id_created_at_key" ON "sync_jobs"("id", "created_at");

CREATE TABLE "sync_job_items_partitioned" (
  LIKE "sync_job_items" INCLUDING DEFAULTS,
  "job_created_at" TIMESTAMPTZ(3) NOT NULL
) PARTITION BY RANGE ("job_created_at");
ALTER TABLE "sync_job_items" RENAME TO "sync_job_items_unpartitioned";
ALTER TABLE "sync_job_items_partitioned" RENAME TO "sync_job_items";

-- From the oldest job with items kept (or 13 months back) to three months ahead.
SELECT "sync_job_items_ensure_partitions"(
  LEAST(now() - interval '13 months',
        (SELECT min(j."created_at") FROM "sync_job_items_unpartitioned" i JOIN "sync_jobs" j ON j."id" = i."job_id")),
  now() + interval '3 months'
);
-- Jobs stamped beyond three months ahead (a clock far off) get partitions of their own.
SELECT "sync_job_items_ensure_partitions"(now(),
  (SELECT max(j."created_at") + interval '1 month' FROM "sync_job_items_unpartitioned" i JOIN "sync_jobs" j ON j."id" = i."job_id"))
 WHERE (SELECT max(j."created_at") FROM "sync_job_items_unpartitioned" i JOIN "sync_jobs" j ON j."id" = i."job_id")
       >= now() + interval '3 months';

INSERT INTO "sync_job_items"
SELECT i.*, j."created_at" FROM "sync_job_items_unpartitioned" i JOIN "sync_jobs" j ON j."id" = i."job_id";
DROP TABLE "sync_job_items_unpartitioned";

-- A partitioned table's primary and unique keys must hold its partition key; job_created_at follows from
-- job_id, so (job, SKU, platform, field) stays unique as before.
ALTER TABLE "sync_job_items" ADD CONSTRAINT "sync_job_items_pkey" PRIMARY KEY ("id", "job_created_at");
CREATE UNIQUE INDEX "sync_job_items_job_id_sku_platform_field_job_created_at_key"
  ON "sync_job_items"("job_id", "sku", "platform", "field", "job_created_at");
CREATE INDEX "sync_job_items_job_id_status_idx" ON "sync_job_items"("job_id", "status");
CREATE INDEX "sync_job_items_tenant_id_idx" ON "sync_job_items"("tenant_id");
-- Each tenant's items by their job's month, for the retention of a tenant that keeps less than others.
CREATE INDEX "sync_job_items_tenant_id_job_created_at_idx" ON "sync_job_items"("tenant_id", "job_created_at");
ALTER TABLE "sync_job_items" ADD CONSTRAINT "sync_job_items_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sync_job_items" ADD CONSTRAINT "sync_job_items_job_id_job_created_at_fkey" FOREIGN KEY ("job_id", "job_created_at") REFERENCES "sync_jobs"("id", "created_at") ON DELETE CASCADE ON UPDATE CASCADE;

-- As before: one tenant's rows per transaction; the application may read, add, change and delete them.
ALTER TABLE "sync_job_items" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sync_job_items" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sync_job_items"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON "sync_job_items" TO "inventory_app";
