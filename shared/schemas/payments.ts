import { z } from 'zod'
import { idCursor, queryDate, rowIdParam, text } from './common'

/** POST /api/admin/payments/[id]/refund (with an Idempotency-Key header). */
export const RefundSchema = z.object({
  /** Minor units; the whole remaining amount when absent. Stars payments refund in full only. */
  amountMinor: z.number().int().positive().max(100_000_000).optional(),
  reason: text().trim().min(2).max(300),
  /** The provider's refund id, required for card payments (they are refunded at the provider). */
  providerReference: text().trim().min(1).max(100).optional(),
})

const boolParam = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1')

/** GET /api/admin/payments */
export const AdminPaymentsQuerySchema = z.object({
  provider: z.enum(['telegram_provider', 'telegram_stars']).optional(),
  status: z.enum(['succeeded', 'partially_refunded', 'refunded']).optional(),
  flagged: boolParam.optional(),
  orderId: rowIdParam().optional(),
  /** An order number or a charge id (Telegram's or the provider's), matched exactly. */
  q: text().trim().min(1).max(100).optional(),
  from: queryDate().optional(),
  to: queryDate().optional(),
  before: idCursor().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
export type AdminPaymentsQuery = z.output<typeof AdminPaymentsQuerySchema>

/** GET /api/admin/payments/report: days in the business's time zone, last 30 days by default. */
/**
 * GET /api/admin/payments/report: business days (`YYYY-MM-DD` in the business's time zone), both
 * included; without them the last 30 days up to today there. Days, not instants, so the charts'
 * days are the business's days whatever the time zone of the browser that asks.
 */
export const PaymentsReportQuerySchema = z
  .object({ from: z.iso.date().optional(), to: z.iso.date().optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, { message: 'at most a year at once', path: ['from'] })
export type PaymentsReportQuery = z.output<typeof PaymentsReportQuerySchema>
