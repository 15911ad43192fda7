-- The audit log as evidence: every row is a link of a SHA-256 hash chain.
--   hash = sha256(prev_hash || payload), payload = the row's content as one canonical jsonb array.
-- The BEFORE INSERT trigger locks the single chain head row (FOR UPDATE: a lock, no new row
-- version), so concurrent inserts append one after another until the inserting transaction ends,
-- and takes the previous link from the newest row (an index lookup). The head's seq and hash are
-- written once per transaction by a deferred trigger at commit, so a transaction writing many
-- entries costs one head update, not one per entry. A rollback leaves no trace (chain_seq has no
-- gaps). Anyone who changes or deletes a row while the append-only triggers are off (ALTER TABLE
-- ... DISABLE TRIGGER, session_replication_role = replica) breaks the chain at that row, and
-- removing the newest rows leaves a chain shorter than its head: server/services/audit/chain.ts
-- recomputes it with the same payload expression, in Node, and reports the first bad link.
-- SECURITY DEFINER: the functions run as the table owner (the migration role), so the app's
-- runtime role needs no right on audit_chain_heads (docs/audit-log.md).
CREATE OR REPLACE FUNCTION audit_entries_chain_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  PERFORM 1 FROM audit_chain_heads WHERE id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit chain head is missing' USING ERRCODE = 'data_corrupted';
  END IF;
  SELECT chain_seq, hash INTO last_seq, last_hash FROM audit_entries ORDER BY chain_seq DESC LIMIT 1;
  NEW.chain_seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
  NEW.hash := encode(sha256(convert_to(NEW.prev_hash || jsonb_build_array(
    NEW.chain_seq, NEW.id, floor(extract(epoch FROM NEW.created_at) * 1000000)::bigint,
    NEW.actor_id, NEW.actor_via, NEW.action, NEW.entity_type, NEW.entity_id,
    NEW.before, NEW.after, NEW.request_id, NEW.ip
  )::text, 'UTF8')), 'hex');
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- At commit: the head follows the newest link (the first call of the transaction moves it, the rest find it there).
CREATE OR REPLACE FUNCTION audit_chain_heads_follow() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE audit_chain_heads h SET seq = newest.chain_seq, hash = newest.hash, updated_at = now()
    FROM (SELECT chain_seq, hash FROM audit_entries ORDER BY chain_seq DESC LIMIT 1) newest
    WHERE h.id = 1 AND h.seq <> newest.chain_seq;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Link the rows written before the chain existed, in id order (the append-only trigger is off for this one statement).
ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update_delete;
--> statement-breakpoint
DO $$
DECLARE
  entry audit_entries%ROWTYPE;
  seq bigint := 0;
  last_hash text := repeat('0', 64);
BEGIN
  FOR entry IN SELECT * FROM audit_entries ORDER BY id LOOP
    seq := seq + 1;
    entry.chain_seq := seq;
    entry.prev_hash := last_hash;
    last_hash := encode(sha256(convert_to(last_hash || jsonb_build_array(
      entry.chain_seq, entry.id, floor(extract(epoch FROM entry.created_at) * 1000000)::bigint,
      entry.actor_id, entry.actor_via, entry.action, entry.entity_type, entry.entity_id,
      entry.before, entry.after, entry.request_id, entry.ip
    )::text, 'UTF8')), 'hex');
    UPDATE audit_entries SET chain_seq = entry.chain_seq, prev_hash = entry.prev_hash, hash = last_hash WHERE id = entry.id;
  END LOOP;
  INSERT INTO audit_chain_heads (id, seq, hash) VALUES (1, seq, last_hash);
END;
$$;
--> statement-breakpoint
ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update_delete;
--> statement-breakpoint
CREATE UNIQUE INDEX audit_entries_chain_seq_idx ON audit_entries (chain_seq);
--> statement-breakpoint
CREATE TRIGGER audit_entries_chain_link
  BEFORE INSERT ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_entries_chain_link();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER audit_chain_heads_follow
  AFTER INSERT ON audit_entries DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION audit_chain_heads_follow();
--> statement-breakpoint
-- The head changes only through the insert trigger.
CREATE TRIGGER audit_chain_heads_no_delete
  BEFORE DELETE OR TRUNCATE ON audit_chain_heads
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_refuse_change();
