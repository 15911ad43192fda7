import type { DbOrTx } from '../../db/client'
import type { HistoryItem, HistoryQuery } from '#shared/schemas/account'
import type { AccountSection } from './registry'
import { ACCOUNT_SECTIONS } from './sections'

/**
 * One history across modules (orders today; bookings, conversations and forms as their modules add
 * sections), newest first, paged by time: each section gives its newest `limit` items older than
 * the cursor, the merge keeps the newest `limit`, and `nextBefore` is the last one's time.
 */
export async function customerHistory(db: DbOrTx, userId: number, query: Pick<HistoryQuery, 'before' | 'limit' | 'q'>, sections: readonly AccountSection[] = ACCOUNT_SECTIONS) {
  const before = query.before ? new Date(Number(query.before)) : null
  const parts = await Promise.all(sections.filter((s) => s.history).map((s) => s.history!(db, userId, { before, limit: query.limit + 1, q: query.q || undefined })))
  const merged = parts.flat().sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.module + a.id < b.module + b.id ? 1 : -1))
  const items: HistoryItem[] = merged.slice(0, query.limit)
  const more = merged.length > query.limit
  return { items, nextBefore: more && items.length ? String(Date.parse(items[items.length - 1]!.at)).padStart(13, '0') : null }
}
