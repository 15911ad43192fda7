import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { InlineKeyboardButton } from 'telegraf/types'
import type { BroadcastButton } from '#shared/schemas/broadcasts'
import type { Locale } from '#shared/locale'
import { normalizeTelegramHtml } from '#shared/telegram-html'
import { miniAppUrl } from '../telegram/links'

/** What a broadcast says, as stored. */
export interface BroadcastContent {
  text: Partial<Record<Locale, string>>
  photoUrl: string | null
  button: BroadcastButton | null
}

/** Callback data of the "Unsubscribe" button under every broadcast (server/bot/broadcasts.ts). */
export const UNSUBSCRIBE_CALLBACK = 'broadcasts:stop'

export const BROADCAST_TEXTS = {
  unsubscribe: { ru: 'Отписаться от новостей', en: 'Unsubscribe from news' },
  unsubscribed: {
    ru: 'Вы отписались от новостей и акций: рассылки больше не придут. Включить их снова можно в приложении: Профиль → Уведомления.',
    en: 'You have unsubscribed from news and offers: no more broadcasts. Turn them back on in the app: Profile → Notifications.',
  },
  unsubscribedShort: { ru: 'Вы отписались от новостей', en: 'Unsubscribed from news' },
  previewHeader: { ru: 'Предпросмотр рассылки', en: 'Broadcast preview' },
} as const

/** The hash a preview is matched by: any change to the text, photo or button needs a new preview. */
export function contentHash(content: BroadcastContent): string {
  const { text, photoUrl, button } = content
  return createHash('sha256').update(JSON.stringify({ text: { ru: text.ru ?? null, en: text.en ?? null }, photoUrl, button })).digest('hex')
}

/** The text in the recipient's language, else in the other one. */
const pick = <T>(values: Partial<Record<Locale, T>>, locale: Locale): T => (values[locale] ?? values[locale === 'ru' ? 'en' : 'ru'])!

/** A signed token for one recipient's button (`<broadcast>-<user>-<signature>`): the click counts for them, nobody can forge another's. */
export function clickToken(secret: string, broadcastId: number, userId: number) {
  const signature = createHmac('sha256', secret).update(`broadcast-click:${broadcastId}:${userId}`).digest('base64url').slice(0, 22)
  return `${broadcastId}-${userId}-${signature}`
}

/** Reads a click token back, checking its signature with the broadcast's secret (looked up by `secretOf`). */
export async function readClickToken(token: string, secretOf: (broadcastId: number) => Promise<string | undefined>) {
  const match = /^(\d{1,10})-(\d{1,16})-([A-Za-z0-9_-]{22})$/.exec(token)
  if (!match) return undefined
  const broadcastId = Number(match[1]), userId = Number(match[2])
  if (broadcastId > 2 ** 31 - 1) return undefined // not an id the table can hold: no lookup
  const secret = await secretOf(broadcastId)
  if (!secret) return undefined
  const expected = Buffer.from(clickToken(secret, broadcastId, userId))
  const given = Buffer.from(token)
  return expected.length === given.length && timingSafeEqual(expected, given) ? { broadcastId, userId } : undefined
}

/** Where the button leads: the URL, or the Mini App (through t.me when the bot's username is known, so it opens inside Telegram). */
export function buttonTarget(button: BroadcastButton, publicUrl: string, botUsername: string | null): string {
  if (button.kind === 'url') return button.url
  if (botUsername) return `https://t.me/${botUsername}${button.startParam ? `?startapp=${button.startParam}` : '?startapp'}`
  return miniAppUrl(publicUrl, button.startParam)
}

/**
 * The message one recipient gets: the HTML in their language (escaped as Telegram needs), the
 * photo, the button (through our tracked link when `clickUrl` is given) and "Unsubscribe".
 */
export function broadcastMessage(content: BroadcastContent, locale: Locale, links: { clickUrl: string | null; directUrl: string | null }) {
  const normalized = normalizeTelegramHtml(pick(content.text, locale))
  const html = normalized.ok ? normalized.html : pick(content.text, locale).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const rows: InlineKeyboardButton[][] = []
  const url = links.clickUrl ?? links.directUrl
  if (content.button && url) rows.push([{ text: pick(content.button.text, locale), url }])
  rows.push([{ text: BROADCAST_TEXTS.unsubscribe[locale], callback_data: UNSUBSCRIBE_CALLBACK }])
  return { html, photoUrl: content.photoUrl, replyMarkup: { inline_keyboard: rows } }
}

/** The locales a broadcast is written in (a preview shows each). */
export const writtenLocales = (content: BroadcastContent): Locale[] => (['ru', 'en'] as const).filter((l) => content.text[l])
