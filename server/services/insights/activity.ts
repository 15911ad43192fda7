import { eq } from 'drizzle-orm'
import { dateTimeFormat } from '#shared/intl'
import type { DbOrTx } from '../../db/client'
import { dailyActivity, type ActivityKind } from '../../db/schema/insights'
import { businessTimezone } from '../settings'

/** `YYYY-MM-DD` of `at` in `timezone`. */
export const localDay = (timezone: string, at = new Date()) => dateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)

/** The business's time zone, read at most once a minute by the recorder (it runs on every Mini App open). */
let zone: { value: string; until: number } | undefined
async function cachedTimezone(db: DbOrTx) {
  if (!zone || zone.until < Date.now()) zone = { value: await businessTimezone(db), until: Date.now() + 60_000 }
  return zone.value
}

/**
 * Today in the business's zone, worked out once a minute instead of on every request (it was ~4%
 * of a `GET /api/me`'s CPU): every zone's offset today is a whole number of minutes, so the local
 * date can only change when a UTC minute begins.
 */
let lastDay: { zone: string; minute: number; day: string } | undefined
function today(zone: string, now = Date.now()) {
  const minute = Math.floor(now / 60_000)
  if (lastDay?.zone !== zone || lastDay.minute !== minute) lastDay = { zone, minute, day: localDay(zone, new Date(now)) }
  return lastDay.day
}

/** Who was already recorded today in this process: a repeat costs no query. Cleared when it grows large. */
const recorded = new Set<string>()

/**
 * Notes that `userId` opened the Mini App or filled a cart today: one row per person, day and kind
 * (an upsert that does nothing the second time). Never fails the caller's request: the overview is
 * a count, not a record anyone relies on.
 */
export async function recordActivity(db: DbOrTx, userId: number, kind: ActivityKind) {
  try {
    const day = today(await cachedTimezone(db))
    const key = `${day}|${kind}|${userId}`
    if (recorded.has(key)) return
    await db.insert(dailyActivity).values({ day, kind, userId }).onConflictDoNothing()
    if (recorded.size > 50_000) recorded.clear()
    recorded.add(key)
  } catch {
    // Counting is best effort; the request it rides on goes on.
  }
}

/** The person's days in the export: which days they opened the Mini App or filled a cart. */
export async function activityOf(db: DbOrTx, userId: number) {
  return db.select({ day: dailyActivity.day, kind: dailyActivity.kind }).from(dailyActivity).where(eq(dailyActivity.userId, userId)).orderBy(dailyActivity.day, dailyActivity.kind)
}

export async function eraseActivity(db: DbOrTx, userId: number) {
  const removed = await db.delete(dailyActivity).where(eq(dailyActivity.userId, userId)).returning({ day: dailyActivity.day })
  for (const key of [...recorded]) if (key.endsWith(`|${userId}`)) recorded.delete(key)
  return removed.length
}
