import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'

/**
 * Every Idempotency-Key a client sent, for every route that takes one (server/services/idempotency):
 * the key is bound to the request it first came with (`request_hash`), so the same key with another
 * request is refused instead of silently answered with the first result. `scope` names the route and
 * the caller (`orders.create:user:42`), so two customers' keys never meet. Routes that replay a
 * stored answer keep it in `response_*`. Rows are pruned after `expires_at`.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of the canonical JSON of the validated request (path parameters and body). */
    requestHash: text('request_hash').notNull(),
    /** The answer repeats get, once the first request finished (routes with `replay: 'stored'`). */
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body').$type<unknown>(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ name: 'idempotency_keys_pk', columns: [t.scope, t.key] }), index('idempotency_keys_expires_idx').on(t.expiresAt)],
)
