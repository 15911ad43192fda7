import { z } from 'zod'

/** Demo people the sandbox can launch the Mini App as (keys of DEMO_PEOPLE). */
export const SANDBOX_PEOPLE = ['customer', 'customer_en', 'operator', 'staff', 'owner'] as const
export type SandboxPerson = (typeof SANDBOX_PEOPLE)[number]

const person = z.enum(SANDBOX_PEOPLE)
/** Telegram's deep-link parameter alphabet (`startapp=`), empty meaning "none". */
const startParam = z.string().regex(/^[A-Za-z0-9_-]{0,512}$/, 'only A-Z, a-z, 0-9, _ and - (up to 512)')

export const SandboxLaunchQuery = z.object({
  person: person.default('customer'),
  theme: z.enum(['light', 'dark']).default('light'),
  startParam: startParam.optional(),
})

export const SandboxChatQuery = z.object({ person: person.default('customer') })

export const SandboxChatMessageBody = z.object({
  person,
  text: z.string().trim().min(1).max(4096),
})

export const SandboxCallbackBody = z.object({
  person,
  messageId: z.number().int().positive(),
  data: z.string().min(1).max(64),
})

export const SandboxInvoicePayBody = z.object({
  person,
  link: z.string().min(1).max(512),
  outcome: z.enum(['paid', 'cancelled', 'failed']),
})

/** One message in the sandbox chat pane (what the bot sent, or what the person wrote). */
export interface SandboxChatMessage {
  id: number
  from: 'bot' | 'user'
  date: number
  text?: string
  kind: 'text' | 'photo' | 'document' | 'invoice' | 'other'
  invoice?: { title: string; description: string; currency: string; totalAmount: number }
  buttons: { text: string; callbackData?: string; url?: string; webAppUrl?: string }[][]
  edited: boolean
}

export interface SandboxLaunch {
  person: SandboxPerson
  name: string
  roles: readonly string[]
  /** The URL hash (without `#`) to launch /app with, as Telegram would. */
  hash: string
  initData: string
  /** Telegram's theme params for the chosen theme (sent again with theme_changed on a switch). */
  themeParams: Record<string, string>
}
