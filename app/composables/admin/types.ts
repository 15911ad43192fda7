/**
 * Names for the admin API's answers, read from the server routes themselves (Nitro's typed routes),
 * and the value lists from the shared contracts: nothing here is written by hand, so nothing drifts.
 */
import type { InternalApi } from 'nitropack/types'
import { OrderStatusChangeSchema } from '#shared/schemas/orders'
import { AdminPaymentsQuerySchema } from '#shared/schemas/payments'

export type OrdersPage = InternalApi['/api/admin/orders']['get']
export type AdminOrder = OrdersPage['items'][number]
export type AdminOrderDetail = InternalApi['/api/admin/orders/:id']['get']
export type OrderStatus = AdminOrder['status']
export const ORDER_STATUSES = OrderStatusChangeSchema.shape.status.options

export type AdminProduct = InternalApi['/api/admin/catalog/products']['get']['items'][number]
export type ProductOption = AdminProduct['options'][number]
export type AdminCategory = InternalApi['/api/admin/catalog/categories']['get']['items'][number]
export type ImportResult = InternalApi['/api/admin/catalog/products/import']['post']

export type PaymentsPage = InternalApi['/api/admin/payments']['get']
export type AdminPayment = PaymentsPage['items'][number]
export type AdminPaymentDetail = InternalApi['/api/admin/payments/:id']['get']
export type AdminRefund = AdminPaymentDetail['refunds'][number]
export type PaymentProvider = AdminPayment['provider']
export type PaymentStatus = AdminPayment['status']
export const PAYMENT_STATUSES = AdminPaymentsQuerySchema.shape.status.unwrap().options
export const PAYMENT_PROVIDERS = AdminPaymentsQuerySchema.shape.provider.unwrap().options
export type PaymentsReport = InternalApi['/api/admin/payments/report']['get']
export type StarReconciliation = InternalApi['/api/admin/payments/reconciliations']['get']['items'][number]

export type AdminDeliveryZone = InternalApi['/api/admin/delivery/zones']['get']['items'][number]
export type AdminPickupPoint = InternalApi['/api/admin/delivery/pickup-points']['get']['items'][number]

export type AdminUserItem = InternalApi['/api/admin/users']['get']['items'][number]
export type AuditItem = InternalApi['/api/admin/audit']['get']['items'][number]

/** One coloured series of a bar chart: a value per label. */
export interface ChartSeries {
  name: string
  color: string
  values: number[]
}

export type SupportInbox = InternalApi['/api/admin/support/conversations']['get']
export type SupportInboxItem = SupportInbox['items'][number]
export type SupportConversationView = InternalApi['/api/admin/support/conversations/:id']['get']
export type SupportStaffMessage = SupportConversationView['messages'][number]

export type AdminBroadcast = InternalApi['/api/admin/broadcasts']['get']['items'][number]
