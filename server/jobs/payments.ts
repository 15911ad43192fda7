import { z } from 'zod'
import { defineJob } from './queue'
import type { JobDeps } from './deps'
import type { AppServices } from '../utils/runtime'
import { getPayment } from '../services/payments'
import { reconcileStars } from '../services/payments/reconcile'
import { findUserWithRoles, listStaffIds, resolveLocale } from '../services/auth/users'
import { getOrder } from '../services/orders'
import { formatMoney } from '#shared/money'
import { chatSendBucket } from '../services/notifications/chat'

const FLAG_TEXT = {
  ru: { order_already_paid: 'заказ уже был оплачен', order_cancelled: 'заказ был отменён', order_not_payable: 'заказ не найден', amount_mismatch: 'сумма не совпала с заказом' },
  en: { order_already_paid: 'the order was already paid', order_cancelled: 'the order had been cancelled', order_not_payable: 'the order was not found', amount_mismatch: 'the amount did not match the order' },
} as const

/**
 * A payment that could not apply to its order: the operators (owners and admins) are told in the
 * chat with what to do, and the customer is told the money will come back.
 */
export const paymentFlaggedJob = defineJob({
  name: 'payments.flagged',
  schema: z.object({ paymentId: z.number().int() }),
  queue: { retryLimit: 8, retryDelay: 10, retryBackoff: true },
  async handle({ paymentId }, { services }: JobDeps & { logger: AppServices['logger'] }) {
    const payment = await getPayment(services.db, paymentId)
    if (!payment.flag) return
    const order = payment.orderId ? await getOrder(services.db, payment.orderId).catch(() => undefined) : undefined
    const amount = (lang: 'ru' | 'en') => formatMoney(payment.amountMinor, payment.currency, lang)
    for (const staffId of await listStaffIds(services.db, ['owner', 'admin'])) {
      const staff = await findUserWithRoles(services.db, staffId)
      const lang = resolveLocale(staff?.row.locale, staff?.row.languageCode)
      const text =
        lang === 'ru'
          ? `⚠️ Платёж №${payment.id} на ${amount('ru')} не применён: ${FLAG_TEXT.ru[payment.flag]}${order ? ` (заказ ${order.number})` : ''}. Верните его в /admin → Платежи.`
          : `⚠️ Payment #${payment.id} of ${amount('en')} was not applied: ${FLAG_TEXT.en[payment.flag]}${order ? ` (order ${order.number})` : ''}. Refund it in /admin → Payments.`
      await chatSendBucket.take()
      await services.bot.telegram.sendMessage(staffId, text).catch((error) => services.logger.warn('could not alert staff', { staffId, error }))
    }
    const customer = await findUserWithRoles(services.db, payment.userId)
    const lang = resolveLocale(customer?.row.locale, customer?.row.languageCode)
    await chatSendBucket.take()
    await services.bot.telegram.sendMessage(
      payment.userId,
      lang === 'ru'
        ? `Мы получили платёж на ${amount('ru')}, но ${FLAG_TEXT.ru[payment.flag]}. Мы вернём деньги — напишем, когда это произойдёт.`
        : `We received your payment of ${amount('en')}, but ${FLAG_TEXT.en[payment.flag]}. We will refund it and let you know.`,
    )
  },
})

/** Daily: compares Telegram's Star transactions with our payments and refunds; differences are stored and logged. */
export const reconcileStarsJob = defineJob({
  name: 'payments.reconcile-stars',
  schema: z.object({}),
  cron: '17 3 * * *',
  queue: { retryLimit: 3, retryDelay: 600 },
  async handle(_data, { services, logger }: JobDeps & { logger: AppServices['logger'] }) {
    const report = await reconcileStars(services.db, services.bot)
    if (report.differences.length) logger.warn('Stars reconciliation found differences', { count: report.differences.length, id: report.id })
  },
})
