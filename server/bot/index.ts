import { Telegraf, Markup } from 'telegraf'
import type { Update } from 'telegraf/types'
import type { Logger } from '../utils/logger'
import type { Database } from '../db/client'
import { isStaff } from '#shared/permissions'
import { syncTelegramUser } from '../services/auth/users'
import { issueAdminLoginLink, ADMIN_LINK_TTL_SECONDS } from '../services/auth/admin-login'
import { chatLocale, clearBotBlocked } from '../services/auth/users'
import { RATE_LIMITS, hitRateLimits } from '../services/auth/rate-limit'

export interface BotOptions {
  token: string
  apiRoot: string
  publicUrl: string
  /** Business name shown in greetings, per language. */
  businessName: { ru: string; en: string }
  logger: Logger
  /** For /admin: staff lookup and one-time sign-in links. */
  db: Database
  /** ADMIN_TELEGRAM_IDS: owners by configuration. */
  adminTelegramIds: readonly number[]
}

type Lang = 'ru' | 'en'

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
  adminRefused: {
    ru: 'Вход в панель управления доступен только сотрудникам. Если вы сотрудник, попросите владельца выдать вам роль.',
    en: 'The admin panel is for staff only. If you work here, ask the owner to give you a role.',
  },
  adminPrivateOnly: { ru: 'Эта команда работает только в личном чате с ботом.', en: 'This command only works in a private chat with the bot.' },
  adminTooMany: { ru: 'Слишком много ссылок подряд. Попробуйте через несколько минут.', en: 'Too many links in a row. Please try again in a few minutes.' },
  adminLink: {
    ru: (url: string, minutes: number) => `Ссылка для входа в панель управления (одноразовая, действует ${minutes} мин):\n${url}\n\nНикому её не пересылайте.`,
    en: (url: string, minutes: number) => `Your sign-in link to the admin panel (single use, valid ${minutes} min):\n${url}\n\nDo not forward it to anyone.`,
  },
  adminOpen: { ru: 'Войти в панель', en: 'Sign in to admin' },
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

  /** The customer's language: the one picked in the app, else Telegram's. */
  const langOf = (from: { id: number; language_code?: string }) => chatLocale(options.db, from.id, from.language_code)
  const openButton = (lang: Lang, startParam?: string) => Markup.inlineKeyboard([Markup.button.webApp(TEXT.open[lang], miniAppUrl(options.publicUrl, startParam))])

  bot.start(async (ctx) => {
    const lang = await langOf(ctx.from)
    const startParam = ctx.payload || undefined
    // Someone who blocked the bot and came back wants our messages again.
    await clearBotBlocked(options.db, ctx.from.id)
    await ctx.reply(TEXT.greeting[lang](options.businessName[lang]), openButton(lang, startParam))
  })
  bot.help(async (ctx) => {
    const lang = await langOf(ctx.from)
    await ctx.reply(TEXT.help[lang](options.businessName[lang]), openButton(lang))
  })

  // Desktop sign-in to /admin: a one-time link, sent only to staff, only in the private chat.
  bot.command('admin', async (ctx) => {
    const lang = await langOf(ctx.from)
    if (ctx.chat.type !== 'private') return void (await ctx.reply(TEXT.adminPrivateOnly[lang]))
    const from = ctx.from
    const { roles } = await syncTelegramUser(
      options.db,
      { id: from.id, firstName: from.first_name, lastName: from.last_name, username: from.username, languageCode: from.language_code },
      { source: 'bot', ownerIds: options.adminTelegramIds },
    )
    if (!isStaff(roles)) return void (await ctx.reply(TEXT.adminRefused[lang]))
    const limit = await hitRateLimits(options.db, [{ key: `adminlink:user:${from.id}`, ...RATE_LIMITS.adminLinksPerUser }])
    if (!limit.allowed) return void (await ctx.reply(TEXT.adminTooMany[lang]))
    const { url } = await issueAdminLoginLink(options.db, from.id, options.publicUrl, { actorVia: 'bot', requestId: `update-${ctx.update.update_id}`, ip: null })
    // Telegram refuses URL buttons to plain-http hosts: the link is always in the text as well.
    const keyboard = url.startsWith('https://') ? Markup.inlineKeyboard([Markup.button.url(TEXT.adminOpen[lang], url)]) : undefined
    await ctx.reply(TEXT.adminLink[lang](url, ADMIN_LINK_TTL_SECONDS / 60), { ...keyboard, link_preview_options: { is_disabled: true } })
  })

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
