import { OrderEventPayloadSchema, type OrderEventPayload } from '#shared/schemas/integrations'
import { callPartner, parseContract } from '../http'
import type { Connector } from '../types'
import { DealAddRequestSchema, DealAddResponseSchema, DealListRequestSchema, DealListResponseSchema, DealUpdateRequestSchema, DealUpdateResponseSchema, ORIGINATOR_ID, type DealFields } from './contract'

/** Our order status -> the stage of Bitrix24's default sales funnel. */
export const DEAL_STAGES: Record<string, string> = {
  new: 'NEW',
  awaiting_payment: 'PREPARATION',
  paid: 'PREPAYMENT_INVOICE',
  in_progress: 'EXECUTING',
  ready: 'EXECUTING',
  shipped: 'EXECUTING',
  done: 'WON',
  cancelled: 'LOSE',
  refunded: 'LOSE',
}

const money = (minor: number, currency: string) => (currency === 'XTR' ? minor : minor / 100)

function dealFields(order: OrderEventPayload): DealFields {
  const lines = order.items.map((i) => `${i.name} x ${i.quantity}`).join('\n')
  return {
    TITLE: `Order ${order.number}`,
    STAGE_ID: DEAL_STAGES[order.status] ?? 'NEW',
    OPPORTUNITY: money(order.totalMinor, order.currency),
    CURRENCY_ID: order.currency,
    ORIGINATOR_ID,
    ORIGIN_ID: `order-${order.orderId}`,
    COMMENTS: `${order.customer.name}, ${order.customer.phone}\n${lines}${order.address ? `\n${order.address}` : ''}`,
    SOURCE_DESCRIPTION: 'Telegram Mini App',
  }
}

/**
 * The CRM connector for Bitrix24: one deal per order, found by ORIGIN_ID before anything is
 * added, so a delivery retried after a lost answer updates the deal it already made. Orders paid
 * in Telegram enter the CRM when paid (an unpaid checkout is not a deal); orders paid on delivery
 * when placed. The stage then follows the order.
 */
export const bitrix24Connector: Connector<{ webhookUrl: string; timeoutMs: number }> = {
  name: 'crm',
  partner: 'Bitrix24',
  settings: (config) => config.integrations.bitrix24,
  wants(event) {
    if (!event.type.startsWith('order.')) return false
    const order = OrderEventPayloadSchema.safeParse(event.payload)
    if (!order.success) return true // delivered and held with the reason, not silently dropped
    const prepaid = order.data.paymentMethod === 'telegram'
    if (event.type === 'order.created') return !prepaid
    // A Telegram checkout that was never paid never became a deal.
    return !(prepaid && order.data.status === 'cancelled' && order.data.previousStatus === 'awaiting_payment')
  },
  async probe({ webhookUrl, timeoutMs }) {
    await callPartner({ what: 'Bitrix24 crm.deal.list (probe)', url: `${webhookUrl}/crm.deal.list.json`, body: DealListRequestSchema.parse({ filter: { ORIGINATOR_ID, ORIGIN_ID: 'probe' }, select: ['ID', 'STAGE_ID'] }), response: DealListResponseSchema, timeoutMs })
  },
  async deliver(event, { webhookUrl, timeoutMs }) {
    const order = parseContract('order event', OrderEventPayloadSchema, event.payload)
    const fields = dealFields(order)
    const call = <T extends Parameters<typeof callPartner>[0]['response']>(method: string, body: unknown, response: T) => callPartner({ what: `Bitrix24 ${method}`, url: `${webhookUrl}/${method}.json`, body, response, timeoutMs })
    const found = await call('crm.deal.list', DealListRequestSchema.parse({ filter: { ORIGINATOR_ID, ORIGIN_ID: fields.ORIGIN_ID }, select: ['ID', 'STAGE_ID'] }), DealListResponseSchema)
    const existing = found.data.result[0]
    if (existing) {
      const id = Number(existing.ID)
      const updated = await call('crm.deal.update', DealUpdateRequestSchema.parse({ id, fields: { STAGE_ID: fields.STAGE_ID, OPPORTUNITY: fields.OPPORTUNITY, CURRENCY_ID: fields.CURRENCY_ID, COMMENTS: fields.COMMENTS } }), DealUpdateResponseSchema)
      return { externalId: String(id), response: { deal: id, stage: fields.STAGE_ID, updated: true }, httpStatus: updated.httpStatus, latencyMs: found.latencyMs + updated.latencyMs, alreadyThere: event.type === 'order.created' || event.type === 'order.paid' }
    }
    const added = await call('crm.deal.add', DealAddRequestSchema.parse({ fields, params: { REGISTER_SONET_EVENT: 'N' } }), DealAddResponseSchema)
    return { externalId: String(added.data.result), response: { deal: added.data.result, stage: fields.STAGE_ID, created: true }, httpStatus: added.httpStatus, latencyMs: found.latencyMs + added.latencyMs }
  },
}
