import { lt, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { rateLimits } from '../../db/schema/auth'

/** The limits the app applies, shared by every replica (counters live in Postgres). */
export const RATE_LIMITS = {
  /** POST /api/auth/admin-link, successful or not. */
  signInPerIp: { limit: 10, windowSeconds: 60 },
  /** Every authenticated write (PATCH /api/me, admin writes, logout). */
  writesPerUser: { limit: 60, windowSeconds: 60 },
  writesPerIp: { limit: 300, windowSeconds: 60 },
  /** An operator's "check now" of the Stars reconciliation (each one pages through Telegram's transactions). */
  reconcilePerUser: { limit: 3, windowSeconds: 60 },
  /** The bot's /admin command. */
  adminLinksPerUser: { limit: 5, windowSeconds: 600 },
} as const

/** `limit` hits per `windowSeconds` for one key (e.g. `signin:ip:1.2.3.4`). */
export interface RateLimitRule {
  key: string
  limit: number
  windowSeconds: number
}

export interface RateLimitVerdict {
  allowed: boolean
  /** Seconds until the tightest exceeded window ends (0 when allowed). */
  retryAfterSeconds: number
}

/**
 * Counts one hit against every rule in a single upsert on the fixed-window table, so all replicas
 * share the counters. Refused hits still count, which keeps a hammering client refused.
 */
export async function hitRateLimits(db: DbOrTx, rules: RateLimitRule[], now = new Date()): Promise<RateLimitVerdict> {
  rules = [...new Map(rules.map((rule) => [rule.key, rule])).values()]
  if (!rules.length) return { allowed: true, retryAfterSeconds: 0 }
  const rows = rules.map((rule) => {
    const windowMs = rule.windowSeconds * 1000
    const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs)
    return { key: rule.key, windowStart, hits: 1, expiresAt: new Date(windowStart.getTime() + windowMs) }
  })
  const counted = await db
    .insert(rateLimits)
    .values(rows)
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { hits: sql`${rateLimits.hits} + 1`, updatedAt: sql`now()` } })
    .returning({ key: rateLimits.key, hits: rateLimits.hits, expiresAt: rateLimits.expiresAt })
  let retryAfterSeconds = 0
  for (const row of counted) {
    const rule = rules.find((r) => r.key === row.key)!
    if (row.hits > rule.limit) retryAfterSeconds = Math.max(retryAfterSeconds, Math.ceil((row.expiresAt.getTime() - now.getTime()) / 1000), 1)
  }
  return { allowed: retryAfterSeconds === 0, retryAfterSeconds }
}

/** Housekeeping: windows that ended are useless. */
export async function pruneRateLimits(db: DbOrTx): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.expiresAt, sql`now() - interval '1 minute'`))
}
