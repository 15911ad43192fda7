import { bigint, index, jsonb, pgTable, smallint, text } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'

/**
 * Append-only record of every important action, written in the transaction of the change.
 * A trigger (drizzle/*_audit_append_only.sql) refuses UPDATE, DELETE and TRUNCATE. `actor_id` has
 * no foreign key on purpose: deleting a user must neither cascade into nor be blocked by history.
 *
 * Each row is also a link of a hash chain (drizzle/*_audit_hash_chain.sql): a BEFORE INSERT trigger
 * takes the chain head under a row lock, so concurrent inserts line up one after another, and sets
 * `chain_seq` (1, 2, 3, ... in commit order), `prev_hash` and `hash` = SHA-256 of the previous hash
 * and this row's content. A row changed or removed behind the app's back (trigger disabled,
 * session_replication_role = replica) no longer matches: `npm run audit:verify` and the /admin
 * audit page recompute the chain (server/services/audit/chain.ts). The defaults below are only
 * placeholders the trigger always overwrites.
 */
export const auditEntries = pgTable(
  'audit_entries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Telegram id of who acted; null for the system or an unknown visitor (failed sign-in). */
    actorId: bigint('actor_id', { mode: 'number' }),
    /** How the actor was recognised: 'tma', 'session', 'bot', 'system'. */
    actorVia: text('actor_via').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before').$type<unknown>(),
    after: jsonb('after').$type<unknown>(),
    requestId: text('request_id'),
    ip: text('ip'),
    chainSeq: bigint('chain_seq', { mode: 'number' }).notNull().default(0),
    prevHash: text('prev_hash').notNull().default(''),
    hash: text('hash').notNull().default(''),
    ...timestamps,
  },
  (t) => [
    index('audit_entries_created_idx').on(t.createdAt),
    index('audit_entries_actor_idx').on(t.actorId, t.id),
    index('audit_entries_entity_idx').on(t.entityType, t.entityId, t.id),
    index('audit_entries_action_idx').on(t.action, t.id),
  ],
)

/** The last link of the audit hash chain (one row, id 1): the insert trigger locks it to append the next link. */
export const auditChainHeads = pgTable('audit_chain_heads', {
  id: smallint('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
  ...timestamps,
})
