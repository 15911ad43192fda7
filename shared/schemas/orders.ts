import { z } from 'zod'
import { SelectedOptionsSchema } from './catalog'

export const AddressSchema = z.object({
  text: z.string().trim().min(5, 'Enter the street and house').max(300),
  apartment: z.string().trim().max(20).optional(),
  entrance: z.string().trim().max(20).optional(),
  floor: z.string().trim().max(20).optional(),
  comment: z.string().trim().max(300).optional(),
})

/** International format, as Telegram's requestContact gives it, or typed by hand. */
export const PhoneSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s()-]/g, ''))
  .pipe(z.string().regex(/^\+?\d{10,15}$/, 'Enter a phone number, e.g. +7 900 123-45-67'))

/** POST /api/orders — note what is absent: prices and totals. The server decides them. */
export const CheckoutSchema = z.object({
  delivery: z.discriminatedUnion('method', [
    z.object({ method: z.literal('pickup'), pickupPointId: z.number().int().positive() }),
    z.object({ method: z.literal('courier'), zoneId: z.number().int().positive(), address: AddressSchema }),
    /** Courier to the address typed in Telegram's payment form: paid in Telegram, priced in shipping_query. */
    z.object({ method: z.literal('telegram_shipping') }),
  ]),
  contact: z.object({ name: z.string().trim().min(1).max(100), phone: PhoneSchema }),
  comment: z.string().trim().max(500).optional(),
  paymentMethod: z.enum(['telegram', 'cash_on_delivery', 'card_on_delivery']),
  saveAddress: z.boolean().default(true),
})
export type CheckoutInput = z.output<typeof CheckoutSchema>

export const CheckoutQuoteSchema = CheckoutSchema.pick({ delivery: true })

/** Idempotency-Key header: any client-generated id (a UUID is ideal). */
export const IdempotencyKeySchema = z.string().trim().min(8, 'Idempotency-Key must be 8-100 characters').max(100).regex(/^[A-Za-z0-9_.:-]+$/)

export const AddToCartSchema = z.object({
  productId: z.number().int().positive(),
  options: SelectedOptionsSchema.default({}),
  quantity: z.number().int().min(1).max(99).default(1),
})
export const CartLineParamsSchema = z.object({ id: z.coerce.number().int().positive() })
export const CartLineUpdateSchema = z.object({ quantity: z.number().int().min(0).max(99) })
export const OrderParamsSchema = z.object({ id: z.coerce.number().int().positive() })
export const OrderStatusChangeSchema = z.object({
  status: z.enum(['new', 'awaiting_payment', 'paid', 'in_progress', 'ready', 'shipped', 'done', 'cancelled', 'refunded']),
  note: z.string().trim().max(500).optional(),
})

const statusList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.enum(['new', 'awaiting_payment', 'paid', 'in_progress', 'ready', 'shipped', 'done', 'cancelled', 'refunded'])).max(9))

/** GET /api/admin/orders */
export const AdminOrdersQuerySchema = z.object({
  status: statusList.optional(),
  q: z.string().trim().min(1).max(100).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})
export type AdminOrdersQuery = z.output<typeof AdminOrdersQuerySchema>
