import { z } from 'zod'
import { idCursor, queryDate, rowIdParam, text } from './common'
import { INTEGRATION_EVENT_TYPES } from './integrations'
import { ORDER_STATUSES } from './orders'
import { BOOKING_STATUSES } from './booking'

/**
 * What a partner's API key may do. A route names the one scope it needs; a key without it gets
 * 403 `api_scope_missing`.
 */
export const API_SCOPES = ['orders:read', 'orders:write', 'catalog:write', 'stock:write', 'customers:read', 'bookings:read'] as const
export type ApiScope = (typeof API_SCOPES)[number]

// ---- /admin: outbound webhooks -------------------------------------------------------------

const webhookUrl = text()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value)
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password
    } catch {
      return false
    }
  }, 'must be an http(s) URL without a user name or password')

const eventList = z.array(z.enum(INTEGRATION_EVENT_TYPES)).min(1).max(INTEGRATION_EVENT_TYPES.length)

export const WebhookInputSchema = z.object({
  name: text().trim().min(1).max(100),
  url: webhookUrl,
  events: eventList,
})
export type WebhookInput = z.output<typeof WebhookInputSchema>

export const WebhookPatchSchema = z.object({
  name: text().trim().min(1).max(100).optional(),
  url: webhookUrl.optional(),
  events: eventList.optional(),
  active: z.boolean().optional(),
})
export type WebhookPatch = z.output<typeof WebhookPatchSchema>

export const WebhookParamsSchema = z.object({ id: rowIdParam() })

/** Replay every dead (or held) delivery of one endpoint. */
export const WebhookReplaySchema = z.object({ status: z.enum(['held', 'dead']).optional() }).default({})

// ---- /admin: API keys ----------------------------------------------------------------------

export const ApiKeyInputSchema = z.object({
  name: text().trim().min(1).max(100),
  scopes: z.array(z.enum(API_SCOPES)).min(1).max(API_SCOPES.length),
  rateLimitPerMinute: z.number().int().min(1).max(10_000).default(120),
})
export type ApiKeyInput = z.output<typeof ApiKeyInputSchema>

export const ApiKeyParamsSchema = z.object({ id: rowIdParam() })

// ---- /api/v1 -------------------------------------------------------------------------------

const statusList = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.enum(values), z.array(z.enum(values)).max(values.length)])
    .optional()
    .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]))

const pageLimit = z.coerce.number().int().min(1).max(100).default(50)

export const V1OrdersQuerySchema = z.object({
  status: statusList(ORDER_STATUSES),
  /** Orders changed at or after this moment (sync by polling). */
  updatedSince: queryDate().optional(),
  before: idCursor().optional(),
  limit: pageLimit,
})

export const V1OrderParamsSchema = z.object({ id: rowIdParam() })

export const V1OrderStatusSchema = z.object({
  status: z.enum(ORDER_STATUSES),
  note: text().trim().max(500).optional(),
})

/** Our products are known by their slug: it is the SKU partners use (as MoySklad's externalCode). */
const sku = text().trim().min(1).max(200)

export const V1StockSchema = z.object({
  items: z
    .array(z.object({ sku, stock: z.number().int().min(0).max(1_000_000) }))
    .min(1)
    .max(500),
})

export const V1PricesSchema = z.object({
  items: z
    .array(z.object({ sku, priceMinor: z.number().int().min(0).max(2_000_000_000) }))
    .min(1)
    .max(500),
})

export const V1CustomersQuerySchema = z.object({
  before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  limit: pageLimit,
})

export const V1BookingsQuerySchema = z.object({
  from: queryDate().optional(),
  to: queryDate().optional(),
  status: statusList(BOOKING_STATUSES),
  before: idCursor().optional(),
  limit: pageLimit,
})
