/**
 * MoySklad JSON API 1.2, the part we rely on:
 * - `GET /report/stock/all/current` - current stock per assortment item: `[{ assortmentId, stock }]`;
 * - `GET /entity/assortment?limit&offset` - items with their `externalCode` (we set it to our
 *   product's slug), paged with `meta.size`;
 * - its webhooks (`{ events: [{ meta: { type, href }, action, accountId }] }`) and stock webhooks
 *   (`{ accountId, stockType, reportType, reportUrl }`), which carry no signature: the URL we give
 *   MoySklad holds our secret (`?secret=`).
 * Auth: `Authorization: Bearer <token>`; MoySklad asks for `Accept-Encoding: gzip`.
 */
import { z } from 'zod'

export const CurrentStockSchema = z.array(z.object({ assortmentId: z.string().min(1), stock: z.number() }).loose())
export type CurrentStock = z.output<typeof CurrentStockSchema>

export const AssortmentPageSchema = z.object({
  meta: z.object({ size: z.number().int().min(0), limit: z.number().int().optional(), offset: z.number().int().optional() }).loose(),
  rows: z.array(z.object({ id: z.string().min(1), name: z.string(), externalCode: z.string().optional(), meta: z.object({ type: z.string() }).loose().optional() }).loose()),
})

const WebhookEventSchema = z.object({
  meta: z.object({ type: z.string(), href: z.string() }).loose(),
  action: z.enum(['CREATE', 'UPDATE', 'DELETE', 'PROCESSED']),
  accountId: z.string().optional(),
}).loose()

/** An entity webhook (a product changed) or a stock webhook (stock changed; the report to read is named). */
export const WebhookPayloadSchema = z.union([
  z.object({ events: z.array(WebhookEventSchema).min(1) }).loose(),
  z.object({ accountId: z.string(), stockType: z.string(), reportType: z.string(), reportUrl: z.string() }).loose(),
])
export type WebhookPayload = z.output<typeof WebhookPayloadSchema>
