import { sql } from 'drizzle-orm'
import { check, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'
import type { ApiScope } from '../../../shared/schemas/partner-api'

/**
 * A partner's key to the REST API v1: only the SHA-256 of the token is kept (the token is shown
 * once); `prefix` lets staff recognise a key in /admin. Revoked keys stay for the audit trail.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    scopes: jsonb('scopes').$type<ApiScope[]>().notNull(),
    /** Requests per minute this key may make (429 with Retry-After beyond). */
    rateLimitPerMinute: integer('rate_limit_per_minute').notNull().default(120),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [uniqueIndex('api_keys_token_hash_idx').on(t.tokenHash), check('api_keys_rate_limit_check', sql`${t.rateLimitPerMinute} between 1 and 10000`)],
)
