import { Markup, type Context } from 'telegraf'
import type { AppServices } from '../composition-root'
import { chatLocale, clearBotBlocked } from '../services/auth/users'
import { getBusinessProfile } from '../services/settings/business'
import { miniAppUrl } from '../services/telegram/links'

// The business's name comes from its profile; a business that has not filled it in yet is greeted without one.
const TEXT = {
  greeting: {
    ru: (name: string) => `Здравствуйте!${name ? ` Это ${name}.` : ''} Откройте приложение: каталог, заказ с доставкой, запись и поддержка.`,
    en: (name: string) => `Hello!${name ? ` This is ${name}.` : ''} Open the app for the catalog, delivery orders, bookings and support.`,
  },
  open: { ru: 'Открыть приложение', en: 'Open the app' },
  help: {
    ru: (name: string) =>
      `${name ? `${name} в Telegram.` : 'Мы в Telegram.'} В приложении — каталог и заказ с доставкой или самовывозом, оплата прямо в Telegram, запись и ваши заказы.\n\nКоманды:\n/start — открыть приложение\n/help — эта подсказка`,
    en: (name: string) =>
      `${name ? `${name} in Telegram.` : 'We are in Telegram.'} The app has the catalog, delivery or pickup orders paid right in Telegram, bookings and your orders.\n\nCommands:\n/start — open the app\n/help — this help`,
  },
} as const

/** The name the bot greets with: the one the operator keeps in the business profile. */
export async function businessName(services: AppServices) {
  return (await getBusinessProfile(services.db)).name
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
