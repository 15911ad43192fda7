import { z } from 'zod'
import { idCursor, rowIdParam, text } from './common'

/**
 * Domain events other systems hear about. A module emits one with `emitIntegrationEvent(w, ...)`
 * inside its own write, so the event exists if and only if the change does.
 */
export const INTEGRATION_EVENT_TYPES = [
  'order.created',
  'order.paid',
  'order.status_changed',
  'order.cancelled',
  'order.refunded',
  'stock.changed',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'booking.created',
  'booking.changed',
  'booking.cancelled',
  'conversation.opened',
  'conversation.closed',
  'form.submitted',
] as const
export type IntegrationEventType = (typeof INTEGRATION_EVENT_TYPES)[number]

/** The partners we talk to, one connector each; `webhook` is every outbound webhook set up in /admin (one delivery per endpoint). */
export const CONNECTORS = ['crm', 'warehouse', 'billing', 'mailing', 'maps', 'webhook'] as const
export type ConnectorName = (typeof CONNECTORS)[number]

/**
 * A delivery's life: `pending` (queued or waiting for a retry), `delivered`, `held` (the partner
 * answered something outside its contract, or refused the request: staff look, then retry),
 * `dead` (transient failures until the attempt limit: retry by hand once the partner is back).
 */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'held', 'dead'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

const listOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.enum(values), z.array(z.enum(values)).max(values.length)])
    .optional()
    .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]))

/** /admin's delivery log: newest first, filtered by connector and status, paged by id. */
export const DeliveriesQuerySchema = z.object({
  connector: listOf(CONNECTORS),
  status: listOf(DELIVERY_STATUSES),
  /** One outbound webhook endpoint's deliveries. */
  webhook: rowIdParam().optional(),
  before: idCursor().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
})
export type DeliveriesQuery = z.output<typeof DeliveriesQuerySchema>

export const DeliveryParamsSchema = z.object({ id: rowIdParam() })

/** Retry everything held or dead for one connector (after the partner is fixed or back). */
export const BulkRetrySchema = z.object({ connector: z.enum(CONNECTORS), status: z.enum(['held', 'dead']).optional() })

export const ConnectorParamsSchema = z.object({ connector: z.enum(CONNECTORS) })

/** The shared secret a partner's webhook carries in `?secret=` (MoySklad cannot sign its webhooks). */
export const PartnerWebhookQuerySchema = z.object({ secret: text().max(256).optional() })

/**
 * What an order event carries: the order as it was when it changed. Partners' adapters read it
 * through this schema, so an event written by an older release is checked before it is sent.
 */
export const OrderEventPayloadSchema = z.object({
  orderId: z.number().int(),
  number: z.string(),
  status: z.string(),
  previousStatus: z.string().nullable(),
  currency: z.string().length(3),
  totalMinor: z.number().int(),
  itemsTotalMinor: z.number().int(),
  deliveryMinor: z.number().int(),
  deliveryMethod: z.string(),
  paymentMethod: z.string(),
  address: z.string().nullable(),
  customer: z.object({ telegramId: z.number().int(), name: z.string(), phone: z.string() }),
  items: z.array(z.object({ productId: z.number().int(), name: z.string(), quantity: z.number().int(), unitPriceMinor: z.number().int(), totalMinor: z.number().int() })),
  /** For refunds: the amount returned (whole order when absent). */
  refundedMinor: z.number().int().optional(),
  createdAt: z.string(),
})
export type OrderEventPayload = z.output<typeof OrderEventPayloadSchema>

/** What a `stock.changed` event carries: which product, from and to, and why. */
export const StockEventPayloadSchema = z.object({ productId: z.number().int(), slug: z.string(), from: z.number().int(), to: z.number().int(), source: z.string() })

/**
 * What a `customer.*` event carries (emitted by the account module when a customer's contact
 * details or consent change): who, how to reach them, and whether they agreed to news.
 */
export const CustomerEventPayloadSchema = z.object({
  telegramId: z.number().int(),
  name: z.string(),
  email: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  locale: z.string().optional(),
  /** Agreed to news and offers; false or a deleted customer means "remove from mailing lists". */
  newsConsent: z.boolean(),
})

/** An address to look up on the map (staff checking which delivery zone covers it). */
export const LocateAddressSchema = z.object({ address: text().trim().min(3).max(300) })

/** What a `booking.*` event carries: the booking as it is after the change. */
export const BookingEventPayloadSchema = z.object({
  bookingId: z.number().int(),
  status: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  timezone: z.string(),
  priceMinor: z.number().int(),
  currency: z.string().length(3),
  service: z.object({ id: z.number().int(), slug: z.string(), name: z.string() }),
  resource: z.object({ id: z.number().int(), name: z.string() }),
  customer: z.object({ telegramId: z.number().int(), name: z.string() }),
})
export type BookingEventPayload = z.output<typeof BookingEventPayloadSchema>

/** What a `conversation.*` event carries: which support conversation, whose, and its state (never the messages). */
export const ConversationEventPayloadSchema = z.object({
  conversationId: z.number().int(),
  status: z.string(),
  customerTelegramId: z.number().int(),
  orderId: z.number().int().nullable(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
})
export type ConversationEventPayload = z.output<typeof ConversationEventPayloadSchema>

/** What a `form.submitted` event carries: the form, who sent it and the checked answers. */
export const FormEventPayloadSchema = z.object({
  submissionId: z.number().int(),
  form: z.object({ id: z.number().int(), slug: z.string(), version: z.number().int() }),
  submittedBy: z.object({ telegramId: z.number().int(), staff: z.boolean() }),
  values: z.record(z.string(), z.unknown()),
  submittedAt: z.string(),
})
export type FormEventPayload = z.output<typeof FormEventPayloadSchema>
