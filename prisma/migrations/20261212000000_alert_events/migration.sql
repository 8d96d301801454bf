-- Every alert raised or changed, by whichever path wrote it (a sync, a webhook, a resolution, a person), is an
-- event on the bus the servers listen to (the envelope of platform/events.ts), delivered when its transaction
-- commits: the dashboard's alert counts follow without each writer remembering to publish.
CREATE FUNCTION "alerts_publish_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('app_events', json_build_object(
    'k', 'alerts:' || NEW.tenant_id,
    'a', json_build_array(json_build_object('id', NEW.id, 'tenantId', NEW.tenant_id))
  )::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "alerts_publish_change" AFTER INSERT OR UPDATE ON "alerts"
  FOR EACH ROW EXECUTE FUNCTION "alerts_publish_change"();
