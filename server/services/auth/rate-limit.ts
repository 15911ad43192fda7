import { lt, sql } from 'drizzle-orm'
import type { Database, DbOrTx } from '../../db/client'
import { preparedStatement } from '../../db/prepared'
import { ReadModelRegistry } from '../../db/read-model'
import { rowsOf } from '../../db/results'
import { rateLimits } from '../../db/schema/auth'
import type { Logger } from '../../utils/logger'

/** The limits the app applies, shared by every replica (counters live in Postgres). */
export const RATE_LIMITS = {
  /** POST /api/auth/admin-link, successful or not. */
  signInPerIp: { limit: 10, windowSeconds: 60 },
  /** Every authenticated write (PATCH /api/me, admin writes, logout). */
  writesPerUser: { limit: 60, windowSeconds: 60 },
  writesPerIp: { limit: 300, windowSeconds: 60 },
  /** An operator's "check now" of the Stars reconciliation (each one pages through Telegram's transactions). */
  reconcilePerUser: { limit: 3, windowSeconds: 60 },
  /** Staff calendar feeds (calendars poll every few minutes; guessing tokens gets nowhere fast). */
  calendarFeedPerIp: { limit: 60, windowSeconds: 60 },
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
  /** Seconds until one more hit would be allowed, if none came meanwhile (0 when allowed). */
  retryAfterSeconds: number
}

/**
 * A sliding window, estimated from two fixed ones (the counters stay one row per key and window):
 * the hits of the window now running, plus the previous window's hits weighted by how much of it
 * the last `windowSeconds` still cover. With fixed windows alone a client could spend its limit
 * in the last second of one window and again in the first second of the next: twice the limit
 * within two seconds. `current` includes this hit (refused hits count, so a hammering client
 * stays refused). Answers 0 when allowed, else the seconds until one more hit would be.
 */
export function slidingRetryAfter(previous: number, current: number, limit: number, windowMs: number, elapsedMs: number): number {
  const estimate = previous * (1 - elapsedMs / windowMs) + current
  if (estimate <= limit) return 0
  let waitMs: number
  // Still in this window, once enough of the previous one has slid out: previous * (1 - t / W) + current + 1 <= limit.
  const inThisWindow = current + 1 <= limit ? windowMs * (1 - (limit - current - 1) / previous) - elapsedMs : Infinity
  if (inThisWindow <= windowMs - elapsedMs) waitMs = inThisWindow
  // In the next window, where this one is the previous: current * (1 - t / W) + 1 <= limit.
  else waitMs = windowMs - elapsedMs + Math.max(0, windowMs * (1 - (limit - 1) / current))
  return Math.max(1, Math.ceil(Math.round(waitMs) / 1000))
}

/** The window `now` falls in, for a rule. */
function windowOf(rule: RateLimitRule, now: Date) {
  const windowMs = rule.windowSeconds * 1000
  const start = Math.floor(now.getTime() / windowMs) * windowMs
  return { windowMs, start, elapsedMs: now.getTime() - start }
}

/**
 * Counts one hit against every rule (a sliding window each, see `slidingRetryAfter`) on the
 * shared table, so all replicas share the counters: in the app through its RateLimitCounter (in
 * memory, written every 200 ms), otherwise in a single upsert that also reads the key's previous
 * window. The verdict is the strictest rule's.
 */
export async function hitRateLimits(db: DbOrTx, rules: RateLimitRule[], now = new Date()): Promise<RateLimitVerdict> {
  rules = [...new Map(rules.map((rule) => [rule.key, rule])).values()]
  if (!rules.length) return { allowed: true, retryAfterSeconds: 0 }
  const counter = counters.of(db)
  if (counter) return counter.hit(rules, now)
  const rows = rules.map((rule) => {
    const { windowMs, start } = windowOf(rule, now)
    return { key: rule.key, windowStart: new Date(start), hits: 1, expiresAt: new Date(start + windowMs) }
  })
  const counted = await db
    .insert(rateLimits)
    .values(rows)
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { hits: sql`${rateLimits.hits} + 1`, updatedAt: sql`now()` } })
    .returning({ key: rateLimits.key, hits: rateLimits.hits, previousHits: PREVIOUS_HITS })
  let retryAfterSeconds = 0
  for (const row of counted) {
    const rule = rules.find((r) => r.key === row.key)!
    const { windowMs, elapsedMs } = windowOf(rule, now)
    retryAfterSeconds = Math.max(retryAfterSeconds, slidingRetryAfter(row.previousHits ?? 0, row.hits, rule.limit, windowMs, elapsedMs))
  }
  return { allowed: retryAfterSeconds === 0, retryAfterSeconds }
}

/** In an upsert's `returning`: the hits of the same key's previous window (null when it had none). */
const PREVIOUS_HITS = sql<number | null>`(select p.hits from rate_limits p where p.key = rate_limits.key and p.window_start = rate_limits.window_start - (rate_limits.expires_at - rate_limits.window_start))`

/**
 * The counter's write, built once per database: all the pending windows travel as one JSON
 * parameter. The same upsert made with the query builder was rebuilt for every flush, one set of
 * values per key: under 20 connections adding to carts (500 customers, so ~500 keys a flush) that
 * was 8% of the server's CPU (bench/README.md, "rate-limit flush").
 */
const addHits = preparedStatement('rate_limit_add_hits', sql`
    insert into rate_limits (key, window_start, hits, expires_at)
    select key, window_start, hits, expires_at
      from json_to_recordset(${sql.placeholder('batch')}::json) as r(key text, window_start timestamptz, hits integer, expires_at timestamptz)
    on conflict (key, window_start) do update set hits = rate_limits.hits + excluded.hits, updated_at = now()
    returning key, floor(extract(epoch from window_start) * 1000)::float8 as window_ms, hits, ${PREVIOUS_HITS} as previous_hits`)

interface CountedWindow {
  key: string
  windowStart: Date
  expiresAt: Date
  /** Hits here not yet written to the table. */
  pending: number
  /** Hits being written right now: in neither `pending` nor `shared` until the upsert answers. */
  writing: number
  /** The table's count at the last write (every replica's hits, ours included). */
  shared: number
  /** The table's count for the previous window at the last write here (every replica's). */
  previousShared: number
}

/**
 * The app's counter: hits are counted in this process at once (the verdict needs no round trip)
 * and added to the shared table in one statement per `flushMs` for all keys, which answers with
 * every replica's totals. On one replica the limits are exact; across replicas a client may get
 * at most the hits the others took in the last flush interval beyond them.
 */
export class RateLimitCounter {
  private readonly windows = new Map<string, CountedWindow>()
  private timer?: ReturnType<typeof setTimeout>
  private flushing?: Promise<void>

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly flushMs = 200,
  ) {}

  hit(rules: RateLimitRule[], now: Date): RateLimitVerdict {
    let retryAfterSeconds = 0
    for (const rule of rules) {
      const { windowMs, start, elapsedMs } = windowOf(rule, now)
      const id = `${rule.key}@${start}`
      let window = this.windows.get(id)
      if (!window) this.windows.set(id, (window = { key: rule.key, windowStart: new Date(start), expiresAt: new Date(start + windowMs), pending: 0, writing: 0, shared: 0, previousShared: 0 }))
      window.pending++
      // The previous window as this replica counted it, or as the table had it at this window's last write: the larger.
      const before = this.windows.get(`${rule.key}@${start - windowMs}`)
      const previous = Math.max(window.previousShared, before ? total(before) : 0)
      retryAfterSeconds = Math.max(retryAfterSeconds, slidingRetryAfter(previous, total(window), rule.limit, windowMs, elapsedMs))
    }
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs)
    return { allowed: retryAfterSeconds === 0, retryAfterSeconds }
  }

  /** Writes the pending hits (one upsert for all keys) and reads back every replica's totals. */
  async flush(): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    await this.flushing
    const now = Date.now()
    // A window is still needed through the next one, where it is the previous.
    for (const [id, window] of this.windows) if (2 * window.expiresAt.getTime() - window.windowStart.getTime() < now && window.pending === 0 && window.writing === 0) this.windows.delete(id)
    const batch = [...this.windows.values()].filter((w) => w.pending > 0).map((window) => ({ window, hits: window.pending }))
    if (!batch.length) return
    for (const b of batch) {
      b.window.pending -= b.hits
      b.window.writing += b.hits
    }
    this.flushing = (async () => {
      try {
        const rows = batch.map(({ window, hits }) => ({ key: window.key, window_start: window.windowStart.toISOString(), hits, expires_at: window.expiresAt.toISOString() }))
        const counted = rowsOf<{ key: string; window_ms: number; hits: number; previous_hits: number | null }>(await addHits(this.db).execute({ batch: JSON.stringify(rows) }))
        // The table's totals now include this batch: it moves from `writing` to `shared` at once.
        for (const b of batch) b.window.writing -= b.hits
        for (const row of counted) {
          const window = this.windows.get(`${row.key}@${row.window_ms}`)
          if (!window) continue
          window.shared = row.hits
          window.previousShared = row.previous_hits ?? 0
        }
      } catch (error) {
        // Keep the hits for the next write; meanwhile this replica still counts them.
        for (const b of batch) {
          b.window.writing -= b.hits
          b.window.pending += b.hits
        }
        this.logger.warn('rate-limit counters not written; retrying', { error })
        this.timer ??= setTimeout(() => void this.flush(), this.flushMs * 5)
      }
    })()
    await this.flushing
    this.flushing = undefined
  }
}

/** A window's hits as this replica knows them: the table's at the last write, plus its own since. */
const total = (window: CountedWindow) => window.shared + window.writing + window.pending

const counters = new ReadModelRegistry<RateLimitCounter>()

/** Counts this database's rate limits in the process, written to the table every `flushMs`; `stop` writes what is left. */
export function startRateLimitCounter(db: Database, logger: Logger, flushMs?: number): { stop(): Promise<void> } {
  const counter = new RateLimitCounter(db, logger, flushMs)
  counters.attach(db, counter)
  return {
    stop: async () => {
      counters.detach(db)
      await counter.flush()
    },
  }
}

/** Housekeeping: a window is useless once the next one (where it is the previous) has ended too. */
export async function pruneRateLimits(db: DbOrTx): Promise<void> {
  await db.delete(rateLimits).where(lt(sql`${rateLimits.expiresAt} + (${rateLimits.expiresAt} - ${rateLimits.windowStart})`, sql`now() - interval '1 minute'`))
}
