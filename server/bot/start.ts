import { Markup, type Context } from 'telegraf'
import type { AppServices } from '../composition-root'
import { DEMO_BUSINESS } from '../services/demo/seed-data'
import { chatLocale, clearBotBlocked } from '../services/auth/users'
import { getSetting } from '../services/settings'
import { miniAppUrl } from '../services/telegram/links'

const TEXT = {
  greeting: {
    ru: (name: string) => `Здравствуйте! Это ${name}. Откройте приложение: меню, заказ с доставкой, запись на мастер-классы и поддержка.`,
    en: (name: string) => `Hello! This is ${name}. Open the app for the menu, delivery orders, masterclass bookings and support.`,
  },
  open: { ru: 'Открыть приложение', en: 'Open the app' },
  help: {
    ru: (name: string) =>
      `${name} в Telegram. В приложении — меню и заказ с доставкой или самовывозом, оплата прямо в Telegram, запись на мастер-классы и ваши заказы.\n\nКоманды:\n/start — открыть приложение\n/help — эта подсказка`,
    en: (name: string) =>
      `${name} in Telegram. The app has the menu, delivery or pickup orders paid right in Telegram, masterclass bookings and your orders.\n\nCommands:\n/start — open the app\n/help — this help`,
  },
} as const

/** The name the bot greets with: the one the operator keeps in the business profile. */
export async function businessName(services: AppServices) {
  return (await getSetting<{ name: { ru: string; en: string } }>(services.db, 'business.profile'))?.name ?? DEMO_BUSINESS.name
}

/** /start (with an optional deep-link payload): a greeting with the button that opens the Mini App there. */
export async function onStart(ctx: Context & { payload?: string }, services: AppServices) {
  const from = ctx.from!
  const lang = await chatLocale(services.db, from.id, from.language_code)
  // Someone who blocked the bot and came back wants our messages again.
  await clearBotBlocked(services.db, from.id)
  const name = (await businessName(services))[lang]
  await ctx.reply(TEXT.greeting[lang](name), Markup.inlineKeyboard([Markup.button.webApp(TEXT.open[lang], miniAppUrl(services.config.publicUrl, ctx.payload || undefined))]))
}

/** /help: what the app and the bot do, in the customer's language, with the button into the app. */
export async function onHelp(ctx: Context, services: AppServices) {
  const from = ctx.from!
  const lang = await chatLocale(services.db, from.id, from.language_code)
  const name = (await businessName(services))[lang]
  await ctx.reply(TEXT.help[lang](name), Markup.inlineKeyboard([Markup.button.webApp(TEXT.open[lang], miniAppUrl(services.config.publicUrl))]))
}
