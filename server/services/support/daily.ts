import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { countPerDay, type DayRange } from '../../db/days'
import { supportConversations } from '../../db/schema/support'

/** Conversations customers started per day: for the business overview. */
export function conversationsPerDay(db: DbOrTx, range: DayRange) {
  return countPerDay(db, { table: supportConversations, at: supportConversations.createdAt }, range)
}

/** All conversations ever started (for /metrics). */
export async function conversationsTotal(db: DbOrTx) {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(supportConversations)
  return Number(row?.n ?? 0)
}
