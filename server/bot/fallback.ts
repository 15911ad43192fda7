import { Markup } from 'telegraf'
import type { Database } from '../db/client'
import { chatLocale } from '../services/auth/users'
import { miniAppUrl, type Bot } from './index'

type Lang = 'ru' | 'en'

const TEXT = {
  reply: {
    ru: (name: string) => `${name} на связи. Меню, заказ и оплата, запись и ваши заказы — в приложении (кнопка ниже). /help — что ещё я умею.`,
    en: (name: string) => `${name} here. The menu, ordering and payment, bookings and your orders are in the app (the button below). /help shows what else I can do.`,
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

/** Message kinds a person sends in a chat (service messages such as payments or pins get no answer). */
const CHAT_KINDS = ['text', 'sticker', 'photo', 'video', 'voice', 'audio', 'document', 'animation', 'video_note', 'location', 'contact'] as const

/**
 * The bot's answer to whatever no other handler took: a short reply in the customer's language (the
 * one picked in the app, else Telegram's) that points to the app. Register it after every other
 * handler. It is its own module on purpose: support conversations (a later module) replace this
 * registration with one that hands the message to an operator.
 */
export function registerFallbackReplies(bot: Bot, deps: { db: Database; publicUrl: string; businessName: { ru: string; en: string } }) {
  bot.on('message', async (ctx) => {
    const message = ctx.message as unknown as Record<string, unknown>
    if (ctx.chat.type !== 'private' || !CHAT_KINDS.some((kind) => kind in message)) return
    const lang: Lang = await chatLocale(deps.db, ctx.from.id, ctx.from.language_code)
    const open = Markup.inlineKeyboard([Markup.button.webApp(TEXT.open[lang], miniAppUrl(deps.publicUrl))])
    if ('contact' in message) return void (await ctx.reply(TEXT.contact[lang]))
    if (typeof message.text === 'string' && message.text.startsWith('/')) return void (await ctx.reply(TEXT.unknownCommand[lang], open))
    await ctx.reply(TEXT.reply[lang](deps.businessName[lang]), open)
  })
}
