import { ne, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { countPerDay, type DayRange } from '../../db/days'
import { bookings } from '../../db/schema/booking'

/** Bookings made per day (holds that expired unconfirmed are not bookings): for the business overview. */
export function bookingsPerDay(db: DbOrTx, range: DayRange) {
  return countPerDay(db, { table: bookings, at: bookings.createdAt, where: ne(bookings.status, 'expired') }, range)
}

/** All bookings ever made (for /metrics). */
export async function bookingsTotal(db: DbOrTx) {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(bookings).where(ne(bookings.status, 'expired'))
  return Number(row?.n ?? 0)
}
