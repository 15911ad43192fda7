import type { payments } from '../../db/schema'

export function toPaymentDto(p: typeof payments.$inferSelect) {
  return {
    id: p.id,
    orderId: p.orderId,
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
