import { z } from 'zod'
import { idCursor, queryDate, rowId, rowIdParam, text } from './common'
import { LocalizedTextSchema, SelectedOptionsSchema, withoutDefaults } from './catalog'

/** Every status an order can have; `server/services/orders` says which may follow which. */
export const ORDER_STATUSES = ['new', 'awaiting_payment', 'paid', 'in_progress', 'ready', 'shipped', 'done', 'cancelled', 'refunded'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

export const AddressSchema = z.object({
  text: text().trim().min(5, 'Enter the street and house').max(300),
  apartment: text().trim().max(20).optional(),
  entrance: text().trim().max(20).optional(),
  floor: text().trim().max(20).optional(),
  comment: text().trim().max(300).optional(),
})

/** International format, as Telegram's requestContact gives it, or typed by hand. */
export const PhoneSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s()-]/g, ''))
  .pipe(text().regex(/^\+?\d{10,15}$/, 'Enter a phone number, e.g. +7 900 123-45-67'))

/** POST /api/orders — note what is absent: prices and totals. The server decides them. */
export const CheckoutSchema = z.object({
  delivery: z.discriminatedUnion('method', [
    z.object({ method: z.literal('pickup'), pickupPointId: rowId() }),
    z.object({ method: z.literal('courier'), zoneId: rowId(), address: AddressSchema }),
    /** Courier to the address typed in Telegram's payment form: paid in Telegram, priced in shipping_query. */
    z.object({ method: z.literal('telegram_shipping') }),
  ]),
  contact: z.object({ name: text().trim().min(1).max(100), phone: PhoneSchema }),
  comment: text().trim().max(500).optional(),
  paymentMethod: z.enum(['telegram', 'cash_on_delivery', 'card_on_delivery']),
  saveAddress: z.boolean().default(true),
})
export type CheckoutInput = z.output<typeof CheckoutSchema>

export const CheckoutQuoteSchema = CheckoutSchema.pick({ delivery: true })

/** Idempotency-Key header: any client-generated id (a UUID is ideal). */
export const IdempotencyKeySchema = text().trim().min(8, 'Idempotency-Key must be 8-100 characters').max(100).regex(/^[A-Za-z0-9_.:-]+$/)

export const AddToCartSchema = z.object({
  productId: rowId(),
  options: SelectedOptionsSchema.default({}),
  quantity: z.number().int().min(1).max(99).default(1),
})
export const CartLineParamsSchema = z.object({ id: rowIdParam() })
export const CartLineUpdateSchema = z.object({ quantity: z.number().int().min(0).max(99) })
export const OrderParamsSchema = z.object({ id: rowIdParam() })
export const OrderStatusChangeSchema = z.object({
  status: z.enum(ORDER_STATUSES),
  note: text().trim().max(500).optional(),
})

const statusList = z
  .union([text(), z.array(text())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.enum(ORDER_STATUSES)).max(ORDER_STATUSES.length))

/** GET /api/admin/orders */
export const AdminOrdersQuerySchema = z.object({
  status: statusList.optional(),
  q: text().trim().min(1).max(100).optional(),
  from: queryDate().optional(),
  to: queryDate().optional(),
  before: idCursor().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})
export type AdminOrdersQuery = z.output<typeof AdminOrdersQuerySchema>

const money = z.number().int().min(0).max(100_000_000)
const localizedOptional = z.object({ ru: text().trim().max(500), en: text().trim().max(500) })
/** Lists typed one per line or comma-separated in the form arrive as arrays: trimmed, blanks and repeats (any case) dropped; matching ignores case too. */
const wordList = (item: z.ZodString, max: number) =>
  z
    .array(text())
    .transform((list) => {
      const seen = new Map<string, string>()
      for (const s of list.map((v) => v.trim().replace(/\s+/g, ' ')).filter(Boolean)) if (!seen.has(s.toLowerCase())) seen.set(s.toLowerCase(), s)
      return [...seen.values()]
    })
    .pipe(z.array(item).max(max))

/** POST /api/admin/delivery/zones — prices in minor units (kopecks); cities and post codes match addresses typed in Telegram's payment form. */
export const DeliveryZoneInputSchema = z
  .object({
    slug: text().trim().min(1).max(80).regex(/^[a-z0-9-]+$/, 'letters, digits and dashes only').optional(),
    name: LocalizedTextSchema,
    description: localizedOptional.default({ ru: '', en: '' }),
    priceMinor: money,
    freeFromMinor: money.nullable().default(null),
    minOrderMinor: money.default(0),
    etaMinutes: z.number().int().min(1).max(10_080).default(60),
    isActive: z.boolean().default(true),
    countryCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'two letters, ISO 3166-1 (RU, KZ, ...)')
      .nullable()
      .default(null),
    cities: wordList(text().min(1).max(80, 'at most 80 characters per city'), 200).default([]),
    postCodePrefixes: wordList(text().regex(/^[A-Za-z0-9 -]{1,10}$/, 'a post code or its start: letters, digits, up to 10'), 200).default([]),
  })
  .refine((v) => v.freeFromMinor === null || v.freeFromMinor > 0, { message: 'free delivery threshold must be above zero (leave it empty for none)', path: ['freeFromMinor'] })
export type DeliveryZoneInput = z.output<typeof DeliveryZoneInputSchema>
export const DeliveryZonePatchSchema = z
  .object(withoutDefaults(DeliveryZoneInputSchema.shape))
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change')
  .refine((p) => p.freeFromMinor === undefined || p.freeFromMinor === null || p.freeFromMinor > 0, { message: 'free delivery threshold must be above zero (leave it empty for none)', path: ['freeFromMinor'] })
export type DeliveryZonePatch = z.output<typeof DeliveryZonePatchSchema>

/** POST /api/admin/delivery/pickup-points */
export const PickupPointInputSchema = z.object({
  slug: text().trim().min(1).max(80).regex(/^[a-z0-9-]+$/, 'letters, digits and dashes only').optional(),
  name: LocalizedTextSchema,
  address: z.object({ ru: text().trim().min(1).max(300), en: text().trim().min(1).max(300) }),
  hours: LocalizedTextSchema,
  isActive: z.boolean().default(true),
})
export type PickupPointInput = z.output<typeof PickupPointInputSchema>
export const PickupPointPatchSchema = z
  .object(withoutDefaults(PickupPointInputSchema.shape))
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change')
export type PickupPointPatch = z.output<typeof PickupPointPatchSchema>

/** PATCH /api/admin/delivery/settings */
export const DeliverySettingsPatchSchema = z.object({ telegramShipping: z.boolean() })
