import { and, desc, eq, gte, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { rowsOf } from '../../db/results'
import { payments, refunds } from '../../db/schema/payments'
import type { AdminPaymentsQuery, PaymentsReportQuery } from '#shared/schemas/payments'
import { businessTimezone } from '../settings'
import { toCsv } from '../../utils/csv'
import { orderIdByNumber, ordersByIds } from '../orders'

/** Payments for operators, newest first, with the filters of the payments screen. */
async function selectPayments(db: DbOrTx, query: AdminPaymentsQuery) {
  const filters: SQL[] = []
  if (query.q) {
    // One box for what an operator has at hand: the order number from the customer, or a charge id from Telegram or the provider.
    const orderId = await orderIdByNumber(db, query.q)
    filters.push(or(eq(payments.telegramPaymentChargeId, query.q), eq(payments.providerPaymentChargeId, query.q), ...(orderId ? [eq(payments.orderId, orderId)] : []))!)
  }
  if (query.provider) filters.push(eq(payments.provider, query.provider))
  if (query.status) filters.push(eq(payments.status, query.status))
  if (query.flagged) filters.push(isNotNull(payments.flag))
  if (query.orderId) filters.push(eq(payments.orderId, query.orderId))
  if (query.from) filters.push(gte(payments.createdAt, query.from))
  if (query.to) filters.push(lt(payments.createdAt, query.to))
  if (query.before) filters.push(lt(payments.id, query.before))
  const rows = await db
    .select()
    .from(payments)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(payments.id))
    .limit(query.limit + 1)
  return { items: rows.slice(0, query.limit), nextBefore: rows.length > query.limit ? rows[query.limit - 1]!.id : null }
}

/** One page of the payments screen, each payment with its order's number. */
export async function listPayments(db: DbOrTx, query: AdminPaymentsQuery) {
  const { items, nextBefore } = await selectPayments(db, query)
  const numbers = new Map((await ordersByIds(db, [...new Set(items.flatMap((p) => (p.orderId ? [p.orderId] : [])))])).map((o) => [o.id, o.number]))
  return { items: items.map((p) => ({ ...p, orderNumber: p.orderId ? (numbers.get(p.orderId) ?? null) : null })), nextBefore }
}

export interface DailyRevenue {
  day: string
  provider: string
  currency: string
  payments: number
  amountMinor: number
  refundedMinor: number
  refunds: number
}

const DAY_MS = 86_400_000
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)

/**
 * Revenue, payment and refund counts per business day and method, for the charts. Days are
 * calendar days in the business's time zone (`from`..`to`, both included; the last 30 by default);
 * `dayList` is every day of the range, so quiet days show as gaps on the axis.
 */
export async function paymentsReport(db: DbOrTx, query: PaymentsReportQuery) {
  const timezone = await businessTimezone(db)
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
  const toDay = query.to ?? today
  const fromDay = query.from ?? addDays(toDay, -29)
  const dayList: string[] = []
  for (let day = fromDay; day <= toDay && dayList.length < 367; day = addDays(day, 1)) dayList.push(day)
  // The range's instants: midnight of the first day to midnight after the last, in the business's zone.
  const range = { from: sql`(${fromDay}::date)::timestamp at time zone ${timezone}`, to: sql`(${toDay}::date + 1)::timestamp at time zone ${timezone}` }
  const paid = rowsOf<DailyRevenue>(
    await db.execute(sql`
      select to_char(date_trunc('day', ${payments.createdAt} at time zone ${timezone}), 'YYYY-MM-DD') as day,
             ${payments.provider} as provider, ${payments.currency} as currency,
             count(*)::int as payments, sum(${payments.amountMinor})::int as "amountMinor",
             0 as "refundedMinor", 0 as refunds
      from ${payments}
      where ${payments.createdAt} >= ${range.from} and ${payments.createdAt} < ${range.to}
      group by 1, 2, 3`),
  )
  const refunded = rowsOf<DailyRevenue>(
    await db.execute(sql`
      select to_char(date_trunc('day', ${refunds.completedAt} at time zone ${timezone}), 'YYYY-MM-DD') as day,
             ${payments.provider} as provider, ${payments.currency} as currency,
             0 as payments, 0 as "amountMinor", sum(${refunds.amountMinor})::int as "refundedMinor", count(*)::int as refunds
      from ${refunds} join ${payments} on ${payments.id} = ${refunds.paymentId}
      where ${refunds.status} = 'succeeded' and ${refunds.completedAt} >= ${range.from} and ${refunds.completedAt} < ${range.to}
      group by 1, 2, 3`),
  )
  const byKey = new Map<string, DailyRevenue>()
  for (const row of [...paid, ...refunded]) {
    const key = `${row.day}|${row.provider}|${row.currency}`
    const current = byKey.get(key) ?? { day: row.day, provider: row.provider, currency: row.currency, payments: 0, amountMinor: 0, refundedMinor: 0, refunds: 0 }
    current.payments += Number(row.payments)
    current.amountMinor += Number(row.amountMinor)
    current.refundedMinor += Number(row.refundedMinor)
    current.refunds += Number(row.refunds)
    byKey.set(key, current)
  }
  const days = [...byKey.values()].sort((a, b) => a.day.localeCompare(b.day) || a.provider.localeCompare(b.provider))
  const totals = days.reduce(
    (t, d) => {
      const c = (t[d.currency] ??= { payments: 0, amountMinor: 0, refundedMinor: 0, refunds: 0 })
      c.payments += d.payments
      c.amountMinor += d.amountMinor
      c.refundedMinor += d.refundedMinor
      c.refunds += d.refunds
      return t
    },
    {} as Record<string, { payments: number; amountMinor: number; refundedMinor: number; refunds: number }>,
  )
  return { from: fromDay, to: toDay, timezone, dayList, days, totals }
}

export async function exportPaymentsCsv(db: DbOrTx, query: AdminPaymentsQuery) {
  const { items } = await selectPayments(db, { ...query, limit: 50_000 })
  return toCsv([
    ['id', 'created_at', 'order_id', 'user_id', 'provider', 'currency', 'amount', 'refunded', 'status', 'flag', 'telegram_payment_charge_id', 'provider_payment_charge_id'],
    ...items.map((p) => [p.id, p.createdAt.toISOString(), p.orderId, p.userId, p.provider, p.currency, p.currency === 'XTR' ? p.amountMinor : (p.amountMinor / 100).toFixed(2), p.currency === 'XTR' ? p.refundedMinor : (p.refundedMinor / 100).toFixed(2), p.status, p.flag, p.telegramPaymentChargeId, p.providerPaymentChargeId]),
  ])
}
