import type { AdminOrder } from '~/composables/admin/types'
import { useAdminI18n, type AdminMessageKey } from '~/composables/admin/i18n'

/** How an order's delivery and payment read in the lists and the detail alike. */
export function useOrderWords() {
  const { t, has } = useAdminI18n()
  const delivery = (o: Pick<AdminOrder, 'deliveryMethod' | 'pickupPointId' | 'deliveryZoneId'>) =>
    o.deliveryMethod === 'pickup' ? t('orders.pickupPoint', { id: o.pickupPointId ?? '?' }) : t(o.deliveryMethod === 'telegram_shipping' ? 'orders.telegramShipping' : 'orders.courierZone', { id: o.deliveryZoneId ?? '?' })
  const payment = (method: string) => (has(`payment.${method}`) ? t(`payment.${method}` as AdminMessageKey) : method)
  return { delivery, payment }
}
