import { eq, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { countPerDay, type DayRange } from '../../db/days'
import { orderStatusHistory, orders } from '../../db/schema/orders'

/** Orders placed per day, and orders that became paid per day (each order once, on the day it was paid): the overview's funnel. */
export async function ordersPerDay(db: DbOrTx, range: DayRange) {
  const [placed, paid] = await Promise.all([
    countPerDay(db, { table: orders, at: orders.createdAt }, range),
    countPerDay(db, { table: orderStatusHistory, at: orderStatusHistory.createdAt, where: eq(orderStatusHistory.toStatus, 'paid'), distinct: orderStatusHistory.orderId }, range),
  ])
  return { placed, paid }
}

/** All orders ever placed and paid (for /metrics: Prometheus takes the increase). */
export async function orderTotals(db: DbOrTx) {
  const [placed] = await db.select({ n: sql<number>`count(*)::int` }).from(orders)
  const [paid] = await db.select({ n: sql<number>`count(distinct ${orderStatusHistory.orderId})::int` }).from(orderStatusHistory).where(eq(orderStatusHistory.toStatus, 'paid'))
  return { placed: Number(placed?.n ?? 0), paid: Number(paid?.n ?? 0) }
}
