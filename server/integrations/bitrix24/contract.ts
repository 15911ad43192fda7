/**
 * Bitrix24 REST through an inbound webhook (`https://<portal>/rest/<user>/<code>/<method>.json`),
 * the part we rely on: crm.deal.list / crm.deal.add / crm.deal.update. Successful answers are
 * `{ result, time }`; errors `{ error, error_description }` with a 4xx (503 QUERY_LIMIT_EXCEEDED).
 * A deal made by us carries ORIGINATOR_ID (our system) and ORIGIN_ID (the order), the fields
 * Bitrix24 keeps for "the id of this item in the external system": the key that makes a retried
 * delivery find its deal instead of adding a second one.
 */
import { z } from 'zod'

/** Who we are to Bitrix24 (ORIGINATOR_ID on every deal we create). */
export const ORIGINATOR_ID = 'tma-platform'

/** Deal fields we send (crm.deal.add / crm.deal.update `fields`). */
export const DealFieldsSchema = z.object({
  TITLE: z.string().max(255),
  STAGE_ID: z.string(),
  OPPORTUNITY: z.number(),
  CURRENCY_ID: z.string().length(3),
  ORIGINATOR_ID: z.literal(ORIGINATOR_ID),
  ORIGIN_ID: z.string(),
  COMMENTS: z.string().optional(),
  SOURCE_DESCRIPTION: z.string().optional(),
})
export type DealFields = z.output<typeof DealFieldsSchema>

export const DealListRequestSchema = z.object({
  filter: z.object({ ORIGINATOR_ID: z.literal(ORIGINATOR_ID), ORIGIN_ID: z.string() }),
  select: z.array(z.string()),
})
export const DealAddRequestSchema = z.object({ fields: DealFieldsSchema, params: z.object({ REGISTER_SONET_EVENT: z.enum(['Y', 'N']) }) })
export const DealUpdateRequestSchema = z.object({ id: z.number().int(), fields: DealFieldsSchema.partial() })

const time = z.object({ start: z.number(), finish: z.number() }).loose().optional()

/** crm.deal.list: ids come back as strings. */
export const DealListResponseSchema = z.object({
  result: z.array(z.object({ ID: z.string().regex(/^\d+$/), STAGE_ID: z.string().optional() }).loose()),
  total: z.number().int().optional(),
  time,
})
/** crm.deal.add: the new deal's id as a number. */
export const DealAddResponseSchema = z.object({ result: z.number().int().positive(), time })
/** crm.deal.update: true. */
export const DealUpdateResponseSchema = z.object({ result: z.literal(true), time })
