import { Telegraf } from 'telegraf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { payments, refunds, users } from '../../../../server/db/schema'
import { reconcileStars } from '../../../../server/services/payments/reconcile'
import { createFakeBotApi, type FakeBotApi } from '../../../../server/telegram/fake-bot-api'
import { createTestDatabase, engine } from '../../../helpers/db'

let handle: DatabaseHandle
let fake: FakeBotApi
let bot: Telegraf
beforeAll(async () => {
  handle = await createTestDatabase()
  fake = createFakeBotApi()
  await fake.listen()
  bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot, webhookReply: false } })
})
afterAll(async () => {
  await fake?.close()
  await handle?.close()
})

const starPayment = (charge: string, amount: number, userId = 42) => ({
  userId,
  provider: 'telegram_stars' as const,
  currency: 'XTR',
  amountMinor: amount,
  telegramPaymentChargeId: charge,
  invoicePayload: 'order:1',
  raw: {},
})

describe(`Stars reconciliation on ${engine}`, () => {
  it('reports charges missing on either side and amounts that differ, and stores the report', async () => {
    await handle.db.insert(users).values({ telegramId: 42, firstName: 'Star' })
    await handle.db.insert(payments).values([starPayment('both-ok', 100), starPayment('only-ours', 50), starPayment('wrong-amount', 70)])
    fake.recordStarPayment(42, 'both-ok', 100)
    fake.recordStarPayment(42, 'wrong-amount', 75)
    fake.recordStarPayment(42, 'only-telegram', 30)
    const report = await reconcileStars(handle.db, bot)
    expect(report).toMatchObject({ telegramCount: 3, ourCount: 3 })
    expect(report.differences).toEqual(
      expect.arrayContaining([
        { kind: 'missing_at_telegram', chargeId: 'only-ours', ourAmount: 50 },
        { kind: 'amount_mismatch', chargeId: 'wrong-amount', telegramAmount: 75, ourAmount: 70 },
        { kind: 'missing_here', chargeId: 'only-telegram', telegramAmount: 30 },
      ]),
    )
    expect(report.differences).toHaveLength(3)
  })

  it('matches refunds: one refunded on both sides agrees; one Telegram refunded but we did not is a difference', async () => {
    const [refundedBoth, refundedThere] = await handle.db.insert(payments).values([starPayment('refunded-both', 200), starPayment('refunded-there', 40)]).returning()
    await handle.db.insert(refunds).values([
      { paymentId: refundedBoth!.id, amountMinor: 200, reason: 'customer asked', status: 'succeeded', idempotencyKey: 'reconcile-test-1' },
      { paymentId: refundedBoth!.id, amountMinor: 200, reason: 'first try', status: 'failed', idempotencyKey: 'reconcile-test-0' },
    ])
    for (const [charge, amount] of [['refunded-both', 200], ['refunded-there', 40]] as const) {
      fake.recordStarPayment(42, charge, amount)
      await bot.telegram.callApi('refundStarPayment' as never, { user_id: 42, telegram_payment_charge_id: charge } as never)
    }
    const report = await reconcileStars(handle.db, bot)
    const about = (charge: string) => (report.differences as { chargeId: string }[]).filter((d) => d.chargeId === charge)
    expect(about('refunded-both')).toEqual([])
    expect(about('refunded-there')).toEqual([{ kind: 'refund_mismatch', chargeId: 'refunded-there', telegramAmount: 40, ourAmount: 0 }])
    expect(refundedThere).toBeTruthy()
  })
})
