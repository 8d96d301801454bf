-- One function creates the monthly partitions of every table partitioned by month (sync_history,
-- sync_job_items, webhook_events), in place of one copy per table. Written by hand: schema.prisma does not
-- hold functions, and the drift check leaves them out.

-- Creates the monthly partitions of `parent` that cover [from_ts, to_ts) and returns how many it made. A
-- partition is `<parent>_YYYY_MM` in the parent's schema, holding [first of the month, first of the next) in
-- UTC: the names the per-table functions gave, so partitions made by them are recognised and left as they are.
-- Serialised per table by the advisory lock those functions took ('<parent>_partitions'), so every process may
-- call it at start. Runs with the caller's rights, as they did: only the parent's owner can add partitions.
CREATE FUNCTION "ensure_month_partitions"(parent regclass, from_ts timestamptz, to_ts timestamptz) RETURNS integer
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  parent_schema text;
  parent_name text;
  month date := date_trunc('month', from_ts AT TIME ZONE 'UTC')::date;
  made integer := 0;
  partition_name text;
BEGIN
  SELECT n.nspname, c.relname INTO parent_schema, parent_name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.oid = parent AND c.relkind = 'p';
  IF parent_name IS NULL THEN
    RAISE EXCEPTION 'ensure_month_partitions: % is not a partitioned table', parent
      USING ERRCODE = 'wrong_object_type';
  END IF;
  -- A longer name would be cut to 63 bytes, and its months would no longer be told apart.
  IF octet_length(parent_name) > 63 - length('_YYYY_MM') THEN
    RAISE EXCEPTION 'ensure_month_partitions: the name % is too long for its partitions'' names', parent_name
      USING ERRCODE = 'name_too_long';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended(parent_name || '_partitions', 0));
  WHILE month < to_ts AT TIME ZONE 'UTC' LOOP
    partition_name := format('%s_%s', parent_name, to_char(month, 'YYYY_MM'));
    IF to_regclass(format('%I.%I', parent_schema, partition_name)) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)',
        parent_schema, partition_name, parent,
        (month::timestamp AT TIME ZONE 'UTC'), ((month + interval '1 month')::timestamp AT TIME ZONE 'UTC')
      );
      made := made + 1;
    END IF;
    month := (month + interval '1 month')::date;
  END LOOP;
  RETURN made;
END;
$$;

DROP FUNCTION "sync_history_ensure_partitions"(timestamptz, timestamptz);
DROP FUNCTION "sync_job_items_ensure_partitions"(timestamptz, timestamptz);
DROP FUNCTION "webhook_events_ensure_partitions"(timestamptz, timestamptz);
