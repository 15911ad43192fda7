import { z } from 'zod'
import { rowIdParam, telegramIdParam, text } from './common'
import { LOCALES } from '../locale'
import { AddressSchema, PhoneSchema } from './orders'

/** Kinds of chat messages a customer can turn off one by one; every sender asks `notificationAllowed` first. */
export const NOTIFICATION_KINDS = ['order_updates', 'booking_reminders', 'news'] as const
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]
export type NotificationPreferences = Record<NotificationKind, boolean>

/** What a customer's document is: receipts are generated, the rest are attached by an operator. */
export const DOCUMENT_KINDS = ['receipt', 'contract', 'act', 'certificate', 'other'] as const
export type DocumentKind = (typeof DOCUMENT_KINDS)[number]
/** Kinds an operator may attach (receipts only come from paid orders). */
export const ATTACHABLE_DOCUMENT_KINDS = ['contract', 'act', 'certificate', 'other'] as const

const Email = text().trim().toLowerCase().max(254).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Enter an email such as name@example.com')
const Birthday = text()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date such as 1990-05-31')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`)
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v) && d.getUTCFullYear() >= 1900 && d.getTime() <= Date.now()
  }, 'Enter a real date of birth')

/** `PATCH /api/account/profile`: every field optional; `null` clears it. Identity and roles are not here. */
export const ProfilePatchSchema = z.object({
  phone: PhoneSchema.nullable().optional(),
  email: Email.nullable().optional(),
  birthday: Birthday.nullable().optional(),
  locale: z.enum(LOCALES).optional(),
  notifications: z.object(Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, z.boolean().optional()])) as Record<NotificationKind, z.ZodOptional<z.ZodBoolean>>).optional(),
})
export type ProfilePatch = z.output<typeof ProfilePatchSchema>

/** `POST /api/account/addresses` and `PATCH /api/account/addresses/{id}`. */
export const AddressInputSchema = z.object({
  label: text().trim().max(50).nullable().optional(),
  address: AddressSchema,
  isDefault: z.boolean().optional(),
})
export const AddressPatchSchema = AddressInputSchema.partial()
export type AddressInput = z.output<typeof AddressInputSchema>
export type AddressPatch = z.output<typeof AddressPatchSchema>

export const AccountIdParamsSchema = z.object({ id: rowIdParam() })

/** `GET /api/account/history`: newest first; `before` is the `nextBefore` of the previous page. */
export const HistoryQuerySchema = z.object({
  q: text().trim().max(100).optional(),
  before: text().regex(/^\d{13}$/, 'use nextBefore from the previous page').optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
})
export type HistoryQuery = z.output<typeof HistoryQuerySchema>

/** `GET /api/account/documents/download/{token}`: a signed, short-lived link. */
export const DocumentTokenParamsSchema = z.object({ token: text().regex(/^[A-Za-z0-9_-]{10,200}\.[A-Za-z0-9_-]{43}$/, 'not a document link') })

/** `POST /api/account/deletion`: the customer confirms they mean it. */
export const AccountDeletionSchema = z.object({ confirm: z.literal(true) })

/** `GET /api/admin/customers?q=`: by name, @username, phone, Telegram id or order number. */
export const AdminCustomersQuerySchema = z.object({
  q: text().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
})
export const CustomerParamsSchema = z.object({ id: telegramIdParam() })
export const CustomerDocumentParamsSchema = CustomerParamsSchema.extend({ documentId: rowIdParam() })
export const CustomerHistoryQuerySchema = HistoryQuerySchema

/** `POST /api/admin/customers/{id}/notes` */
export const CustomerNoteSchema = z.object({ body: text().trim().min(1).max(2000) })

/** Multipart fields next to the file of `POST /api/admin/customers/{id}/documents`. */
export const DocumentUploadFieldsSchema = z.object({
  kind: z.enum(ATTACHABLE_DOCUMENT_KINDS),
  title: text().trim().min(1).max(120),
})

/** The business's legal details printed on receipts (/admin settings). */
export const LegalDetailsSchema = z.object({
  legalName: text().trim().min(1).max(200),
  taxId: text().trim().regex(/^\d{10}(\d{2})?$/, 'ИНН: 10 or 12 digits').or(text().trim().min(1).max(30)),
  address: text().trim().min(1).max(300),
  /** The taxes line, e.g. "НДС не облагается" / "VAT 20% included". */
  taxNote: text().trim().max(200).default(''),
  /** A line at the bottom of every receipt (thanks, returns policy). */
  receiptFooter: text().trim().max(300).default(''),
})
export type LegalDetails = z.output<typeof LegalDetailsSchema>

/** One line of the customer's history, whichever module it comes from. */
export interface HistoryItem {
  /** The module that contributed it: `orders`, later `bookings`, `support`, `forms`. */
  module: string
  id: string
  title: string
  status: string
  /** What the customer does next, as a code the app words (`pay`, `pick_up`, `wait`), or null when nothing. */
  nextStep: string | null
  amountMinor: number | null
  currency: string | null
  /** Where the Mini App opens it. */
  link: string
  at: string
}
