import type { payments } from '../../db/schema'

/** A payment as the admin API shows it (without the raw payload, which only the detail carries). */
export function toPaymentDto(p: typeof payments.$inferSelect & { orderNumber?: string | null }) {
  return {
    id: p.id,
    orderId: p.orderId,
    orderNumber: p.orderNumber ?? null,
    userId: p.userId,
    provider: p.provider,
    currency: p.currency,
    amountMinor: p.amountMinor,
    refundedMinor: p.refundedMinor,
    status: p.status,
    flag: p.flag,
    telegramPaymentChargeId: p.telegramPaymentChargeId,
    providerPaymentChargeId: p.providerPaymentChargeId,
    createdAt: p.createdAt,
  }
}
