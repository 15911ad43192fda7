import { bigint, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'

/**
 * Append-only record of every important action, written in the transaction of the change.
 * A trigger (drizzle/*_audit_append_only.sql) refuses UPDATE, DELETE and TRUNCATE. `actor_id` has
 * no foreign key on purpose: deleting a user must neither cascade into nor be blocked by history.
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
    ...timestamps,
  },
  (t) => [
    index('audit_entries_created_idx').on(t.createdAt),
    index('audit_entries_actor_idx').on(t.actorId, t.id),
    index('audit_entries_entity_idx').on(t.entityType, t.entityId, t.id),
    index('audit_entries_action_idx').on(t.action, t.id),
  ],
)
