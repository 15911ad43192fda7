import { Telegraf, Markup } from 'telegraf'
import type { Update } from 'telegraf/types'
import type { Logger } from '../utils/logger'

export interface BotOptions {
  token: string
  apiRoot: string
  publicUrl: string
  /** Business name shown in greetings, per language. */
  businessName: { ru: string; en: string }
  logger: Logger
}

type Lang = 'ru' | 'en'
const pickLang = (code?: string): Lang => (code?.toLowerCase().startsWith('ru') ? 'ru' : 'en')

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

/** The Mini App URL, carrying a deep-link parameter the way t.me/<bot>?startapp= would. */
export function miniAppUrl(publicUrl: string, startParam?: string) {
  const url = new URL('/app', publicUrl)
  if (startParam && /^[A-Za-z0-9_-]{1,512}$/.test(startParam)) url.searchParams.set('tgWebAppStartParam', startParam)
  return url.toString()
}

/**
 * The Telegraf bot. It never starts its own polling or webhook server: updates reach it through
 * our intake (stored first, then `handleUpdate`), so every update is deduped and retried by us.
 */
export function createBot(options: BotOptions) {
  const bot = new Telegraf(options.token, { telegram: { apiRoot: options.apiRoot, webhookReply: false } })

  bot.start(async (ctx) => {
    const lang = pickLang(ctx.from.language_code)
    const startParam = ctx.payload || undefined
    await ctx.reply(TEXT.greeting[lang](options.businessName[lang]), Markup.inlineKeyboard([Markup.button.webApp(TEXT.open[lang], miniAppUrl(options.publicUrl, startParam))]))
  })
  bot.help((ctx) => ctx.reply(TEXT.help[pickLang(ctx.from.language_code)]))

  // Telegraf rethrows handler errors from handleUpdate; our intake records them and retries.
  bot.catch((error) => {
    throw error
  })
  return bot
}

export type Bot = ReturnType<typeof createBot>

/** Menu button and commands, set on every start so a changed PUBLIC_URL reaches the chat. */
export async function configureBotChat(bot: Bot, publicUrl: string) {
  await bot.telegram.setChatMenuButton({ menuButton: { type: 'web_app', text: 'Open', web_app: { url: miniAppUrl(publicUrl) } } })
  await bot.telegram.setMyCommands([
    { command: 'start', description: 'Open the app' },
    { command: 'help', description: 'Help' },
  ])
  await bot.telegram.setMyCommands(
    [
      { command: 'start', description: 'Открыть приложение' },
      { command: 'help', description: 'Помощь' },
    ],
    { language_code: 'ru' },
  )
}

export async function handleBotUpdate(bot: Bot, update: unknown) {
  await bot.handleUpdate(update as Update)
}
