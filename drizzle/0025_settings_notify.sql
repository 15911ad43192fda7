-- Replicas keep the settings (business profile, support hours, payment and delivery switches) in
-- memory; a NOTIFY at commit of any change tells every replica (LISTEN) to read them again.
CREATE OR REPLACE FUNCTION notify_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('settings_changed', '');
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER app_settings_notify_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON app_settings FOR EACH STATEMENT EXECUTE FUNCTION notify_settings_changed();
