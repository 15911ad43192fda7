import { z } from 'zod'
import { rowId, text } from './common'

/** Demo people the sandbox can launch the Mini App as (keys of DEMO_PEOPLE). */
export const SANDBOX_PEOPLE = ['customer', 'customer_en', 'operator', 'staff', 'owner'] as const
export type SandboxPerson = (typeof SANDBOX_PEOPLE)[number]

const person = z.enum(SANDBOX_PEOPLE)
/** Telegram's deep-link parameter alphabet (`startapp=`), empty meaning "none". */
const startParam = text().regex(/^[A-Za-z0-9_-]{0,512}$/, 'only A-Z, a-z, 0-9, _ and - (up to 512)')

export const SandboxLaunchQuery = z.object({
  person: person.default('customer'),
  theme: z.enum(['light', 'dark']).default('light'),
  startParam: startParam.optional(),
})

export const SandboxChatQuery = z.object({ person: person.default('customer') })

export const SandboxChatMessageBody = z.object({
  person,
  text: text().trim().min(1).max(4096),
})

/** The person answers Telegram's "share your phone number?" (requestContact) in the sandbox. */
export const SandboxContactBody = z.object({ person, share: z.boolean() })

/** What the Mini App's `getRequestedContact` gets: the signed string Telegram would return, or "" when nothing was shared. */
export interface SandboxContactAnswer {
  status: 'sent' | 'cancelled'
  result: string
}

export const SandboxCallbackBody = z.object({
  person,
  messageId: rowId(),
  data: text().min(1).max(64),
})

/** Telegram's ShippingAddress as the payment sheet's address form fills it. */
export const SandboxShippingAddress = z.object({
  country_code: text().trim().regex(/^[A-Za-z]{2}$/, 'two letters, e.g. RU').transform((v) => v.toUpperCase()),
  state: text().trim().max(100).default(''),
  city: text().trim().min(1, 'Enter the city').max(100),
  street_line1: text().trim().min(1, 'Enter the street and house').max(200),
  street_line2: text().trim().max(200).default(''),
  post_code: text().trim().max(20).default(''),
})

const link = text().min(1).max(512)

export const SandboxInvoiceParams = z.object({ slug: text().regex(/^[A-Za-z0-9_-]{1,64}$/) })

/** The sheet's address form: a shipping_query through the webhook; answers with the bot's options or its refusal. */
export const SandboxShippingBody = z.object({ person, link, address: SandboxShippingAddress })

export const SandboxInvoicePayBody = z.object({
  person,
  link,
  /** `pending`: Telegram's "payment is being processed": successful_payment follows a few seconds later. */
  outcome: z.enum(['paid', 'cancelled', 'failed', 'pending']),
  /** For invoices that need a shipping address: the answered shipping query and the option picked from it. */
  shipping: z.object({ queryId: text().min(1).max(64), optionId: text().min(1).max(64), address: SandboxShippingAddress }).optional(),
})

export type SandboxPayShipping = NonNullable<z.input<typeof SandboxInvoicePayBody>['shipping']>
export type SandboxPayOutcome = z.input<typeof SandboxInvoicePayBody>['outcome']

/** An invoice as the payment sheet shows it. */
export interface SandboxInvoice {
  title: string
  description: string
  currency: string
  totalAmount: number
  prices: { label: string; amount: number }[]
  needShippingAddress: boolean
  isFlexible: boolean
}

/** The bot's answer to the sheet's shipping query. */
export interface SandboxShippingAnswer {
  queryId: string
  ok: boolean
  options: { id: string; title: string; prices: { label: string; amount: number }[] }[]
  error: string | null
}

/** One message in the sandbox chat pane (what the bot sent, or what the person wrote). */
export interface SandboxChatMessage {
  id: number
  from: 'bot' | 'user'
  date: number
  text?: string
  /** `service`: what Telegram itself writes in the chat (a payment made), not a message from either side. */
  kind: 'text' | 'photo' | 'document' | 'invoice' | 'contact' | 'service' | 'other'
  invoice?: { title: string; description: string; currency: string; totalAmount: number }
  buttons: { text: string; callbackData?: string; url?: string; webAppUrl?: string }[][]
  edited: boolean
}

export interface SandboxLaunch {
  person: SandboxPerson
  name: string
  roles: readonly string[]
  /** The phone number Telegram would share for this person (requestContact), "+79161234501". */
  phone: string
  /** The URL hash (without `#`) to launch /app with, as Telegram would. */
  hash: string
  initData: string
  /** Telegram's theme params for the chosen theme (sent again with theme_changed on a switch). */
  themeParams: Record<string, string>
}

/** Tests only (sandbox with NODE_ENV=test): the booking whose planned reminders are due now. */
export const SandboxClockBody = z.object({ bookingId: rowId() })
