import { and, eq, gte, sql } from 'drizzle-orm'
import type { Bot } from '../../bot'
import type { Database } from '../../db/client'
import { payments, refunds, starReconciliations } from '../../db/schema/payments'
import { DomainError } from '../../utils/errors'

interface StarTransaction {
  id: string
  amount: number
  date: number
  source?: { type: string }
  receiver?: { type: string }
}

const PAGE = 100

/** One page of the bot's Star transactions; Telegram failing is `telegram_unavailable` (nothing stored). */
async function starTransactions(bot: Pick<Bot, 'telegram'>, offset: number): Promise<{ transactions: StarTransaction[] }> {
  try {
    return (await bot.telegram.callApi('getStarTransactions' as never, { offset, limit: PAGE } as never)) as unknown as { transactions: StarTransaction[] }
  } catch (error) {
    throw new DomainError('telegram_unavailable', `getStarTransactions failed: ${(error as Error).message}`)
  }
}
const WINDOW_DAYS = 30

/**
 * Reads Telegram's Star transactions for the last 30 days and compares them with our Stars
 * payments: a charge Telegram has and we don't, one we have and Telegram doesn't, or different
 * amounts. Refunds appear at Telegram as outgoing transactions with the same id.
 */
export async function reconcileStars(db: Database, bot: Pick<Bot, 'telegram'>) {
  const since = new Date(Date.now() - WINDOW_DAYS * 24 * 3600 * 1000)
  const incoming = new Map<string, number>()
  const outgoing = new Map<string, number>()
  for (let offset = 0; offset < 100_000; offset += PAGE) {
    const page = await starTransactions(bot, offset)
    for (const t of page.transactions) {
      if (t.date * 1000 < since.getTime()) continue
      if (t.source) incoming.set(t.id, (incoming.get(t.id) ?? 0) + t.amount)
      else if (t.receiver) outgoing.set(t.id, (outgoing.get(t.id) ?? 0) + t.amount)
    }
    if (page.transactions.length < PAGE) break
  }
  // A join, not a correlated subquery: in a one-table select drizzle writes columns unqualified, and
  // inside a subquery on refunds an unqualified "id" is the refund's own (every refund counted as 0).
  const ours = await db
    .select({
      chargeId: payments.telegramPaymentChargeId,
      amount: payments.amountMinor,
      refunded: sql<number>`coalesce(sum(${refunds.amountMinor}) filter (where ${refunds.status} = 'succeeded'), 0)::int`,
    })
    .from(payments)
    .leftJoin(refunds, eq(refunds.paymentId, payments.id))
    .where(and(eq(payments.provider, 'telegram_stars'), gte(payments.createdAt, since)))
    .groupBy(payments.id)
  const differences: { kind: string; chargeId: string; telegramAmount?: number; ourAmount?: number }[] = []
  const ourIds = new Set(ours.map((p) => p.chargeId))
  for (const p of ours) {
    const theirs = incoming.get(p.chargeId)
    if (theirs === undefined) differences.push({ kind: 'missing_at_telegram', chargeId: p.chargeId, ourAmount: p.amount })
    else if (theirs !== p.amount) differences.push({ kind: 'amount_mismatch', chargeId: p.chargeId, telegramAmount: theirs, ourAmount: p.amount })
    const theirRefund = outgoing.get(p.chargeId) ?? 0
    if (theirRefund !== p.refunded) differences.push({ kind: 'refund_mismatch', chargeId: p.chargeId, telegramAmount: theirRefund, ourAmount: p.refunded })
  }
  for (const [chargeId, amount] of incoming) if (!ourIds.has(chargeId)) differences.push({ kind: 'missing_here', chargeId, telegramAmount: amount })
  const [report] = await db.insert(starReconciliations).values({ checkedFrom: since, telegramCount: incoming.size, ourCount: ours.length, differences }).returning()
  return report!
}
