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
  attributes: Record<string, string | string[]>
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
