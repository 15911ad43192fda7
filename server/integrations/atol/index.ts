import { OrderEventPayloadSchema, type OrderEventPayload } from '#shared/schemas/integrations'
import { callPartner, parseContract, PartnerRejectedError } from '../http'
import type { Connector } from '../types'
import { ReceiptRequestSchema, ReceiptResponseSchema, TokenResponseSchema, type ReceiptRequest } from './contract'

export interface AtolSettings {
  apiUrl: string
  groupCode: string
  login: string
  password: string
  inn: string
  companyEmail: string
  paymentAddress: string
  timeoutMs: number
}

/** ATOL's tokens live a day; one per process is plenty (a cache only: a missing one is fetched again). */
const tokens = new Map<string, { token: string; until: number }>()

async function token(s: AtolSettings, fresh = false) {
  const key = `${s.apiUrl}|${s.login}`
  const cached = tokens.get(key)
  if (!fresh && cached && cached.until > Date.now()) return cached.token
  const { data } = await callPartner({ what: 'ATOL getToken', url: `${s.apiUrl}/getToken`, body: { login: s.login, pass: s.password }, response: TokenResponseSchema, timeoutMs: s.timeoutMs })
  if (data.error || !data.token) throw new PartnerRejectedError(`ATOL getToken: ${data.error?.text ?? 'no token'}`, 401, data)
  tokens.set(key, { token: data.token, until: Date.now() + 23 * 3600 * 1000 })
  return data.token
}

const rub = (minor: number) => Math.round(minor) / 100
const pad = (n: number) => String(n).padStart(2, '0')
/** ATOL's `dd.mm.yyyy HH:MM:SS`, in Moscow time as the tax service reads receipts. */
function atolTime(date: Date) {
  const msk = new Date(date.getTime() + 3 * 3600 * 1000)
  return `${pad(msk.getUTCDate())}.${pad(msk.getUTCMonth() + 1)}.${msk.getUTCFullYear()} ${pad(msk.getUTCHours())}:${pad(msk.getUTCMinutes())}:${pad(msk.getUTCSeconds())}`
}

/** The receipt for an order: its lines, delivery as a service line, paid in full by card. */
export function receiptFor(eventId: string, order: OrderEventPayload, s: AtolSettings, at: Date): ReceiptRequest {
  const items = order.items.map((i) => ({ name: i.name.slice(0, 128), price: rub(i.unitPriceMinor), quantity: i.quantity, sum: rub(i.totalMinor), payment_method: 'full_payment' as const, payment_object: 'commodity' as const, vat: { type: 'none' as const } }))
  if (order.deliveryMinor > 0) items.push({ name: 'Доставка', price: rub(order.deliveryMinor), quantity: 1, sum: rub(order.deliveryMinor), payment_method: 'full_payment', payment_object: 'commodity', vat: { type: 'none' } })
  return ReceiptRequestSchema.parse({
    external_id: eventId,
    receipt: {
      client: { phone: order.customer.phone.replace(/[^\d+]/g, '') },
      company: { email: s.companyEmail, inn: s.inn, payment_address: s.paymentAddress },
      items,
      payments: [{ type: 1, sum: rub(order.totalMinor) }],
      total: rub(order.totalMinor),
    },
    timestamp: atolTime(at),
  })
}

/**
 * Receipts (54-FZ) through ATOL Online: a "sell" receipt when an order is paid in Telegram with a
 * card, a "sell_refund" one when it is refunded. Exactly once each: the event id is ATOL's
 * external_id. Stars payments are Telegram's own and get no receipt from us.
 */
export const atolConnector: Connector<AtolSettings> = {
  name: 'billing',
  partner: 'ATOL Online',
  settings: (config) => config.integrations.atol,
  wants(event) {
    if (event.type !== 'order.paid' && event.type !== 'order.refunded') return false
    const order = OrderEventPayloadSchema.safeParse(event.payload)
    if (!order.success) return true
    return order.data.paymentMethod === 'telegram' && order.data.currency !== 'XTR' && (event.type === 'order.paid' || order.data.previousStatus !== 'awaiting_payment')
  },
  async probe(s) {
    await token(s, true)
  },
  async deliver(event, s) {
    const order = parseContract('order event', OrderEventPayloadSchema, event.payload)
    const operation = event.type === 'order.refunded' ? 'sell_refund' : 'sell'
    const body = receiptFor(event.id, order, s, event.createdAt)
    const send = async (fresh: boolean) =>
      callPartner({ what: `ATOL ${operation}`, url: `${s.apiUrl}/${encodeURIComponent(s.groupCode)}/${operation}`, headers: { token: await token(s, fresh) }, body, response: ReceiptResponseSchema, timeoutMs: s.timeoutMs })
    let answer
    try {
      answer = await send(false)
    } catch (error) {
      // An expired token: fetch a new one once.
      if (!(error instanceof PartnerRejectedError) || error.httpStatus !== 401) throw error
      answer = await send(true)
    }
    const { data } = answer
    if (!data.uuid) throw new PartnerRejectedError(`ATOL ${operation}: ${data.error?.text ?? 'no document'}`, answer.httpStatus, data)
    return { externalId: data.uuid, response: { uuid: data.uuid, status: data.status, operation, error: data.error?.text ?? null }, httpStatus: answer.httpStatus, latencyMs: answer.latencyMs, alreadyThere: Boolean(data.error) }
  },
}
