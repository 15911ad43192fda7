import type { AdminOrder } from '~/composables/admin/types'
import { useAdminI18n, type AdminMessageKey } from '~/composables/admin/i18n'

/** How an order's delivery and payment read in the lists and the detail alike. */
export function useOrderWords() {
  const { t, has, locale } = useAdminI18n()
  /** The point by name when the order carries it (the detail does), else by its number. */
  const delivery = (o: Pick<AdminOrder, 'deliveryMethod' | 'pickupPointId' | 'deliveryZoneId'> & { pickupPoint?: { name: { ru: string; en: string } } | null }) => {
    if (o.deliveryMethod === 'pickup') return o.pickupPoint ? t('orders.pickupAt', { name: o.pickupPoint.name[locale.value] }) : t('orders.pickupPoint', { id: o.pickupPointId ?? '?' })
    return t(o.deliveryMethod === 'telegram_shipping' ? 'orders.telegramShipping' : 'orders.courierZone', { id: o.deliveryZoneId ?? '?' })
  }
  const payment = (method: string) => (has(`payment.${method}`) ? t(`payment.${method}` as AdminMessageKey) : method)
  return { delivery, payment }
}
