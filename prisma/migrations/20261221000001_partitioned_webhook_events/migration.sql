-- webhook_events by the month received: declarative range partitions on received_at, so a recent event's lookup
-- touches only its month and events past retention leave by dropping a partition, not by deleting rows.
-- A partitioned table's unique keys must hold the partition key, which would make (tenant, platform, event id)
-- unique only within a month: a redelivery across a month boundary would be acted on twice. So each event's
-- key lives in webhook_event_keys (not partitioned, a few dozen bytes a row), which is what recognises it.

-- Creates the monthly partitions that cover [from_ts, to_ts); returns how many it made. Serialised by an
-- advisory lock, so every process may call it at start.
CREATE FUNCTION "webhook_events_ensure_partitions"(from_ts timestamptz, to_ts timestamptz) RETURNS integer
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  month date := date_trunc('month', from_ts AT TIME ZONE 'UTC')::date;
  made integer := 0;
  name text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('webhook_events_partitions', 0));
  WHILE month < to_ts AT TIME ZONE 'UTC' LOOP
    name := format('webhook_events_%s', to_char(month, 'YYYY_MM'));
    IF to_regclass(name) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF webhook_events FOR VALUES FROM (%L) TO (%L)',
        name, (month::timestamp AT TIME ZONE 'UTC'), ((month + interval '1 month')::timestamp AT TIME ZONE 'UTC')
      );
      made := made + 1;
    END IF;
    month := (month + interval '1 month')::date;
  END LOOP;
  RETURN made;
END;
$$;

CREATE TABLE "webhook_events_partitioned" (LIKE "webhook_events" INCLUDING DEFAULTS) PARTITION BY RANGE ("received_at");
ALTER TABLE "webhook_events" RENAME TO "webhook_events_unpartitioned";
ALTER TABLE "webhook_events_partitioned" RENAME TO "webhook_events";

-- From the oldest event kept (or 13 months back) to three months ahead.
SELECT "webhook_events_ensure_partitions"(
  LEAST(now() - interval '13 months', (SELECT min("received_at") FROM "webhook_events_unpartitioned")),
  now() + interval '3 months'
);
-- Events stamped beyond three months ahead (a clock far off) get partitions of their own.
SELECT "webhook_events_ensure_partitions"(now(), (SELECT max("received_at") + interval '1 month' FROM "webhook_events_unpartitioned"))
 WHERE (SELECT max("received_at") FROM "webhook_events_unpartitioned") >= now() + interval '3 months';

INSERT INTO "webhook_events" SELECT * FROM "webhook_events_unpartitioned";

-- One row per event ever stored and kept: the dedupe key, and where its event is (id and month).
CREATE TABLE "webhook_event_keys" (
    "tenant_id" UUID NOT NULL DEFAULT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid,
    "platform" "PlatformKind" NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_row_id" UUID NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webhook_event_keys_pkey" PRIMARY KEY ("tenant_id", "platform", "event_id")
);
CREATE UNIQUE INDEX "webhook_event_keys_event_row_id_key" ON "webhook_event_keys"("event_row_id");
CREATE INDEX "webhook_event_keys_tenant_id_received_at_idx" ON "webhook_event_keys"("tenant_id", "received_at");
ALTER TABLE "webhook_event_keys" ADD CONSTRAINT "webhook_event_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
INSERT INTO "webhook_event_keys" ("tenant_id", "platform", "event_id", "event_row_id", "received_at")
SELECT "tenant_id", "platform", "event_id", "id", "received_at" FROM "webhook_events_unpartitioned";
DROP TABLE "webhook_events_unpartitioned";

-- A partitioned table's primary key must hold its partition key.
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id", "received_at");
CREATE INDEX "webhook_events_tenant_id_received_at_idx" ON "webhook_events"("tenant_id", "received_at" DESC);
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- As before: one tenant's rows per transaction; the application may read, add, change and delete them.
ALTER TABLE "webhook_events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "webhook_events" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "webhook_events"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON "webhook_events" TO "inventory_app";
-- The keys are added and, with their events, expired; never changed.
ALTER TABLE "webhook_event_keys" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "webhook_event_keys" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "webhook_event_keys"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
GRANT SELECT, INSERT, DELETE ON "webhook_event_keys" TO "inventory_app";
