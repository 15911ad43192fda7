import { Markup, type Context } from 'telegraf'
import type { AppServices } from '../composition-root'
import { chatLocale } from '../services/auth/users'
import { miniAppUrl } from '../services/telegram/links'
import { businessName } from './start'

const TEXT = {
  reply: {
    ru: (name: string) => `${name || 'Мы'} на связи. Каталог, заказ и оплата, запись и ваши заказы — в приложении (кнопка ниже). /help — что ещё я умею.`,
    en: (name: string) => `${name || 'We are'} here. The catalog, ordering and payment, bookings and your orders are in the app (the button below). /help shows what else I can do.`,
  },
  unknownCommand: {
    ru: 'Такой команды нет. /help — что я умею; всё остальное — в приложении.',
    en: 'I do not know that command. /help shows what I can do; everything else is in the app.',
  },
  contact: {
    ru: 'Спасибо, номер получили. Он подставится в заказ в приложении.',
    en: 'Thank you, we have your number. The app fills it into your order.',
  },
  open: { ru: 'Открыть приложение', en: 'Open the app' },
} as const

/** Message kinds a person sends in a chat (service messages such as pins or a joined member get no answer). */
const CHAT_KINDS = ['text', 'sticker', 'photo', 'video', 'voice', 'audio', 'document', 'animation', 'video_note', 'location', 'contact'] as const

/**
 * The bot's answer to whatever no other route took: a short reply in the customer's language (the
 * one picked in the app, else Telegram's) that points to the app; a shared contact is thanked, an
 * unknown command points to /help. Routed last in `routeUpdates`: a customer's own messages (text,
 * photos, files) are taken before it by support (server/bot/support.ts).
 */
export async function onOtherMessage(ctx: Context, services: AppServices) {
  const message = ctx.message as unknown as Record<string, unknown> | undefined
  if (!message || ctx.chat?.type !== 'private' || !ctx.from || !CHAT_KINDS.some((kind) => kind in message)) return
  const lang = await chatLocale(services.db, ctx.from.id, ctx.from.language_code)
  const open = Markup.inlineKeyboard([Markup.button.webApp(TEXT.open[lang], miniAppUrl(services.config.publicUrl))])
  if ('contact' in message) return void (await ctx.reply(TEXT.contact[lang]))
  if (typeof message.text === 'string' && message.text.startsWith('/')) return void (await ctx.reply(TEXT.unknownCommand[lang], open))
  await ctx.reply(TEXT.reply[lang]((await businessName(services))[lang]), open)
}
