/**
 * UniSender's API (`https://api.unisender.com/ru/api/<method>?format=json`, form-encoded, the key
 * as `api_key`), the part we rely on:
 * - `subscribe`: `list_ids`, `fields[email]` / `fields[phone]` / `fields[Name]`, `double_optin=3`
 *   (consent was already given in our app), `overwrite=2` (update the contact, keep other fields)
 *   -> `{ result: { person_id } }`;
 * - `exclude`: `contact_type`, `contact`, `list_ids` -> `{ result: {} }`;
 * - `getLists` (the probe) -> `{ result: [{ id, title }] }`.
 * UniSender answers its errors with HTTP 200 and `{ error, code }`.
 */
import { z } from 'zod'

export const SubscribeRequestSchema = z.object({
  list_ids: z.string().regex(/^\d+(,\d+)*$/),
  'fields[email]': z.email().optional(),
  'fields[phone]': z.string().regex(/^\+?\d{10,15}$/).optional(),
  'fields[Name]': z.string().max(255).optional(),
  double_optin: z.literal('3'),
  overwrite: z.literal('2'),
})
export const ExcludeRequestSchema = z.object({ list_ids: z.string(), contact_type: z.enum(['email', 'phone']), contact: z.string() })

const ErrorSchema = z.object({ error: z.string(), code: z.string().optional() }).loose()
export const SubscribeResponseSchema = z.union([z.object({ result: z.object({ person_id: z.number().int() }).loose() }).loose(), ErrorSchema])
export const ExcludeResponseSchema = z.union([z.object({ result: z.unknown() }).loose(), ErrorSchema])
export const GetListsResponseSchema = z.union([z.object({ result: z.array(z.object({ id: z.number().int(), title: z.string() }).loose()) }).loose(), ErrorSchema])
