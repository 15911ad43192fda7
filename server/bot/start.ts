import { Markup, type Context } from 'telegraf'
import { localeOf } from '#shared/locale'
import type { AppServices } from '../composition-root'
import { DEMO_BUSINESS } from '../services/demo/seed-data'
import { clearBotBlocked } from '../services/auth/users'
import { getSetting } from '../services/settings'
import { miniAppUrl } from '../services/telegram/links'

const TEXT = {
  greeting: {
    ru: (name: string) => `Здравствуйте! Это ${name}. Откройте приложение: меню, заказ с доставкой, запись на мастер-классы и поддержка.`,
    en: (name: string) => `Hello! This is ${name}. Open the app for the menu, delivery orders, masterclass bookings and support.`,
  },
  open: { ru: 'Открыть приложение', en: 'Open the app' },
  help: {
    ru: 'Команды:\n/start — открыть приложение\n/help — эта подсказка',
    en: 'Commands:\n/start — open the app\n/help — this help',
  },
} as const

/** The name the bot greets with: the one the operator keeps in the business profile. */
async function businessName(services: AppServices) {
  return (await getSetting<{ name: { ru: string; en: string } }>(services.db, 'business.profile'))?.name ?? DEMO_BUSINESS.name
}

/** /start (with an optional deep-link payload): a greeting with the button that opens the Mini App there. */
export async function onStart(ctx: Context & { payload?: string }, services: AppServices) {
  const from = ctx.from!
  const lang = localeOf(from.language_code)
  // Someone who blocked the bot and came back wants our messages again.
  await clearBotBlocked(services.db, from.id)
  const name = (await businessName(services))[lang]
  await ctx.reply(TEXT.greeting[lang](name), Markup.inlineKeyboard([Markup.button.webApp(TEXT.open[lang], miniAppUrl(services.config.publicUrl, ctx.payload || undefined))]))
}

/** /help: what the bot understands. */
export async function onHelp(ctx: Context, _services: AppServices) {
  await ctx.reply(TEXT.help[localeOf(ctx.from?.language_code)])
}
