-- Live support screens (server/services/support/live.ts): a NOTIFY at commit with the conversation
-- id whenever a conversation or one of its messages is written; every replica LISTENs and tells its
-- connected /admin screens to re-read. PostgreSQL folds identical notifications of one transaction.
CREATE OR REPLACE FUNCTION notify_support_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'support_messages' THEN
    PERFORM pg_notify('support_changed', NEW.conversation_id::text);
  ELSE
    PERFORM pg_notify('support_changed', NEW.id::text);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER support_conversations_notify_changed AFTER INSERT OR UPDATE ON support_conversations FOR EACH ROW EXECUTE FUNCTION notify_support_changed();--> statement-breakpoint
CREATE TRIGGER support_messages_notify_changed AFTER INSERT OR UPDATE ON support_messages FOR EACH ROW EXECUTE FUNCTION notify_support_changed();
