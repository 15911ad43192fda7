/**
 * ATOL Online, protocol v4 (receipts under 54-FZ), the part we rely on:
 * - `POST /getToken { login, pass }` -> `{ token, error, timestamp }` (a token lives 24 hours);
 * - `POST /<group_code>/sell` and `/sell_refund` with header `Token`, body
 *   `{ external_id, receipt: { client, company, items, payments, total }, timestamp }`
 *   -> `{ uuid, status: 'wait', error, timestamp }`.
 * ATOL keeps one document per `external_id`: sending it again answers with the document it already
 * has. Our external_id is the event id, so a retried delivery never prints a second receipt.
 */
import { z } from 'zod'

const AtolErrorSchema = z.object({ error_id: z.string().optional(), code: z.number().int(), text: z.string(), type: z.string().optional() }).loose()

export const TokenResponseSchema = z.object({ token: z.string().min(1).nullable().optional(), error: AtolErrorSchema.nullable(), timestamp: z.string() })

export const ReceiptItemSchema = z.object({
  name: z.string().min(1).max(128),
  price: z.number().nonnegative(),
  quantity: z.number().positive(),
  sum: z.number().nonnegative(),
  measurement_unit: z.string().optional(),
  payment_method: z.literal('full_payment'),
  payment_object: z.enum(['commodity', 'service']),
  vat: z.object({ type: z.enum(['none', 'vat0', 'vat10', 'vat20']) }),
})

export const ReceiptRequestSchema = z.object({
  external_id: z.string().min(1).max(128),
  receipt: z.object({
    client: z.object({ phone: z.string().optional(), email: z.string().optional() }),
    company: z.object({ email: z.string(), inn: z.string(), payment_address: z.string() }),
    items: z.array(ReceiptItemSchema).min(1),
    payments: z.array(z.object({ type: z.literal(1), sum: z.number().nonnegative() })).min(1),
    total: z.number().nonnegative(),
  }),
  timestamp: z.string().regex(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/),
})
export type ReceiptRequest = z.output<typeof ReceiptRequestSchema>

/** The document ATOL registered (new, or the one it has for this external_id), or an error without a document. */
export const ReceiptResponseSchema = z.object({ uuid: z.string().min(1).nullable().optional(), status: z.enum(['wait', 'done', 'fail']).nullable().optional(), error: AtolErrorSchema.nullable(), timestamp: z.string() })
