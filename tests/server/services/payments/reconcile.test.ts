import { Telegraf } from 'telegraf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { payments, users } from '../../../../server/db/schema'
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
})
