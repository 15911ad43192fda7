import { and, eq, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import type { DayRange } from '../../db/days'
import { dailyActivity, type ActivityKind } from '../../db/schema/insights'
import type { BusinessOverviewQuery } from '#shared/schemas/insights'
import { bookingsPerDay, bookingsTotal } from '../booking/daily'
import { orderTotals, ordersPerDay } from '../orders/daily'
import { businessTimezone } from '../settings'
import { conversationsPerDay, conversationsTotal } from '../support/daily'
import { localDay } from './activity'

export { activityOf, eraseActivity, recordActivity } from './activity'

const DAY_MS = 86_400_000
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)

/**
 * The owner's overview per business day: people who opened the Mini App, who filled a cart, orders
 * placed, orders paid; bookings made and conversations started. `days` lists every day of the range
 * (quiet days are zeros), each series has a value per day. The last 14 days by default.
 */
export async function businessOverview(db: DbOrTx, query: BusinessOverviewQuery) {
  const timezone = await businessTimezone(db)
  const to = query.to ?? localDay(timezone)
  const from = query.from ?? addDays(to, -13)
  const days: string[] = []
  for (let day = from; day <= to && days.length < 92; day = addDays(day, 1)) days.push(day)
  const range: DayRange = { from, to: days.at(-1) ?? to, timezone }
  const activity = (kind: ActivityKind) =>
    // The day column is already the business's day: count rows per day directly.
    db
      .select({ day: dailyActivity.day, n: sql<number>`count(*)::int` })
      .from(dailyActivity)
      .where(and(eq(dailyActivity.kind, kind), sql`${dailyActivity.day} between ${range.from}::date and ${range.to}::date`))
      .groupBy(dailyActivity.day)
      .then((rows) => new Map(rows.map((r) => [String(r.day), Number(r.n)])))
  const [opens, carts, orders, bookings, conversations] = await Promise.all([activity('app_open'), activity('cart'), ordersPerDay(db, range), bookingsPerDay(db, range), conversationsPerDay(db, range)])
  const series = (counts: Map<string, number>) => days.map((d) => counts.get(d) ?? 0)
  return {
    from: range.from,
    to: range.to,
    timezone,
    days,
    opens: series(opens),
    carts: series(carts),
    orders: series(orders.placed),
    paid: series(orders.paid),
    bookings: series(bookings),
    conversations: series(conversations),
  }
}

/**
 * Everything the business has recorded so far, for /metrics (`business_records`): read from the
 * database at scrape time, so every replica reports the same figure and a restart resets nothing.
 */
export async function businessTotals(db: DbOrTx) {
  const [orders, bookings, conversations, activity] = await Promise.all([
    orderTotals(db),
    bookingsTotal(db),
    conversationsTotal(db),
    db.select({ kind: dailyActivity.kind, n: sql<number>`count(*)::int` }).from(dailyActivity).groupBy(dailyActivity.kind),
  ])
  const of = (kind: ActivityKind) => Number(activity.find((a) => a.kind === kind)?.n ?? 0)
  return { app_opens: of('app_open'), carts: of('cart'), orders_placed: orders.placed, orders_paid: orders.paid, bookings, conversations }
}
