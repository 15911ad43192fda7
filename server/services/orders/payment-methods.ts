import type { DbOrTx } from '../../db/client'
import type { PaymentMethod } from '../../db/schema/orders'
import type { AppConfig } from '../../utils/config'
import { getSetting } from '../settings'

/**
 * Payment methods the business accepts (setting `orders.payment_methods`, all by default).
 * Telegram Payments needs a provider token, except in the sandbox where the fake plays the provider.
 */
export async function allowedPaymentMethods(services: { db: DbOrTx; config: AppConfig }): Promise<PaymentMethod[]> {
  const configured = (await getSetting<PaymentMethod[]>(services.db, 'orders.payment_methods')) ?? ['telegram', 'cash_on_delivery', 'card_on_delivery']
  const telegramPossible = services.config.telegram.sandbox || Boolean(services.config.telegram.paymentProviderToken)
  return configured.filter((m) => m !== 'telegram' || telegramPossible)
}
