/** Shapes of admin API answers as the UI reads them (the server's DTOs; request bodies use #shared/schemas). */
import type { Role } from '#shared/permissions'
import type { OrderStatusChangeSchema } from '#shared/schemas/orders'
import type { ProductOptionSchema } from '#shared/schemas/catalog'
import type { z } from 'zod'

export type OrderStatus = z.infer<typeof OrderStatusChangeSchema>['status']
export const ORDER_STATUSES: OrderStatus[] = ['new', 'awaiting_payment', 'paid', 'in_progress', 'ready', 'shipped', 'done', 'cancelled', 'refunded']

export interface AdminOrder {
  id: number
  number: string
  status: OrderStatus
  currency: string
  itemsTotalMinor: number
  deliveryMinor: number
  discountMinor: number
  totalMinor: number
  deliveryMethod: 'pickup' | 'courier' | 'telegram_shipping'
  pickupPointId: number | null
  deliveryZoneId: number | null
  address: { text: string; apartment?: string; entrance?: string; floor?: string; comment?: string } | null
  /** Telegram-shipping orders, once paid: the address as typed in Telegram's payment form. */
  shippingAddress: { country_code: string; state: string; city: string; street_line1: string; street_line2: string; post_code: string } | null
  shippingOptionId: string | null
  contactName: string
  contactPhone: string
  comment: string | null
  paymentMethod: string
  createdAt: string
}
export interface AdminOrderDetail extends AdminOrder {
  pickupPoint: { name: { ru: string; en: string }; address: { ru: string; en: string }; hours: { ru: string; en: string } } | null
  items: { productId: number | null; name: { ru: string; en: string }; options: { key: string; value: string; name: { ru: string; en: string }; valueName: { ru: string; en: string } }[]; unitPriceMinor: number; quantity: number; totalMinor: number }[]
  history: { from: OrderStatus | null; to: OrderStatus; actorKind: 'customer' | 'staff' | 'system'; note: string | null; at: string }[]
  customerTelegramId: number
  allowedStatuses: OrderStatus[]
}
export interface OrdersPage {
  items: AdminOrder[]
  nextBefore: number | null
}

export type ProductOption = z.input<typeof ProductOptionSchema>
export interface AdminProduct {
  id: number
  slug: string
  categoryId: number
  name: { ru: string; en: string }
  description: { ru: string; en: string }
  priceMinor: number
  compareAtPriceMinor: number | null
  currency: string
  stock: number
  images: string[]
  attributes: { key: string; name: { ru: string; en: string }; value: { ru: string; en: string } }[]
  tags: string[]
  options: ProductOption[]
  isActive: boolean
  position: number
}
export interface AdminCategory {
  id: number
  slug: string
  parentId: number | null
  name: { ru: string; en: string }
  description: { ru: string; en: string } | null
  position: number
  isActive: boolean
}
export interface ImportResult {
  created: number
  updated: number
  failed: number
  errors: { row: number; field: string; message: string }[]
}
export type { Role }

export type PaymentProvider = 'telegram_provider' | 'telegram_stars'
export type PaymentStatus = 'succeeded' | 'partially_refunded' | 'refunded'
export const PAYMENT_STATUSES: PaymentStatus[] = ['succeeded', 'partially_refunded', 'refunded']
export type PaymentFlag = 'order_not_payable' | 'amount_mismatch' | 'order_cancelled' | 'order_already_paid' | 'wrong_user'
export interface AdminPayment {
  id: number
  orderId: number | null
  orderNumber: string | null
  userId: number
  provider: PaymentProvider
  currency: string
  amountMinor: number
  refundedMinor: number
  status: PaymentStatus
  /** Set when the payment could not apply to its order: the operator should look at it (usually refund). */
  flag: PaymentFlag | null
  telegramPaymentChargeId: string
  providerPaymentChargeId: string | null
  createdAt: string
}
export interface AdminRefund {
  id: number
  amountMinor: number
  reason: string
  status: 'pending' | 'succeeded' | 'failed'
  providerReference: string | null
  actorId: number | null
  /** The staff member's name as Telegram gave it; null for a refund Telegram reported itself. */
  actorName: string | null
  error: string | null
  completedAt: string | null
  createdAt: string
}
export interface AdminPaymentDetail extends AdminPayment {
  raw: Record<string, unknown>
  refunds: AdminRefund[]
  order: { id: number; number: string; status: OrderStatus; contactName: string; contactPhone: string } | null
}
export interface PaymentsPage {
  items: AdminPayment[]
  nextBefore: number | null
}
export interface PaymentsReport {
  from: string
  to: string
  timezone: string
  dayList: string[]
  days: { day: string; provider: PaymentProvider; currency: string; payments: number; amountMinor: number; refundedMinor: number; refunds: number }[]
  totals: Record<string, { payments: number; amountMinor: number; refundedMinor: number; refunds: number }>
}
export interface StarReconciliation {
  id: number
  checkedFrom: string
  telegramCount: number
  ourCount: number
  differences: { kind: string; chargeId: string; telegramAmount?: number; ourAmount?: number }[]
  createdAt: string
}
/** One coloured series of a bar chart: a value per label. */
export interface ChartSeries {
  name: string
  color: string
  values: number[]
}

/** A courier zone as /api/admin/delivery/zones shows it (money in minor units). */
export interface AdminDeliveryZone {
  id: number
  slug: string
  name: { ru: string; en: string }
  description: { ru: string; en: string }
  priceMinor: number
  freeFromMinor: number | null
  minOrderMinor: number
  etaMinutes: number
  isActive: boolean
  countryCode: string | null
  cities: string[]
  postCodePrefixes: string[]
}
export interface AdminPickupPoint {
  id: number
  slug: string
  name: { ru: string; en: string }
  address: { ru: string; en: string }
  hours: { ru: string; en: string }
  isActive: boolean
}
export interface AdminDeliverySettings {
  telegramShipping: boolean
  /** A provider token (or the sandbox): without it Telegram cannot take cards, so the switch has no effect. */
  cardPayments: boolean
}
