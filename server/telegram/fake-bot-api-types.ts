/** The shapes the fake Bot API (fake-bot-api.ts) takes and returns: what tests and the sandbox build updates from. */
import type { User } from 'telegraf/types'

export type Params = Record<string, unknown>
export interface BotApiError { error_code: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } }
/** `via: 'webhook_reply'`: the method came in the body of the bot's answer to a webhook delivery. */
export interface FakeBotApiCall { method: string; params: Params; at: Date; via?: 'webhook_reply' }
/** What a multipart file part is recorded as in `params` (the bytes are dropped). */
export interface UploadedFilePart { filename: string; size: number; contentType?: string }
export interface BotInfo extends User { is_bot: true; username: string; can_join_groups: boolean; can_read_all_group_messages: boolean; supports_inline_queries: boolean }
export interface FakeBotApiOptions { token?: string; botUser?: Partial<Omit<BotInfo, 'id' | 'is_bot'>> }
export interface LabeledPrice { label: string; amount: number }
export interface FakeInvoice {
  slug: string
  link: string
  title: string
  description: string
  payload: string
  currency: string
  prices: LabeledPrice[]
  total_amount: number
  params: Params
  createdAt: Date
}
export interface TransactionPartnerUser { type: 'user'; transaction_type: 'invoice_payment'; user: User; invoice_payload?: string }
export interface StarTransaction { id: string; amount: number; date: number; source?: TransactionPartnerUser; receiver?: TransactionPartnerUser }
export interface WebhookInfo { url: string; secret_token?: string; max_connections: number; allowed_updates?: string[] }
export interface PaymentInput { currency: string; total_amount: number; invoice_payload: string; [extra: string]: unknown }
export interface ShippingAddressInput { country_code: string; state: string; city: string; street_line1: string; street_line2: string; post_code: string }
export interface ShippingOptionAnswer { id: string; title: string; prices: LabeledPrice[] }
export interface SuccessfulPaymentInput extends PaymentInput { telegram_payment_charge_id: string; provider_payment_charge_id: string }
