import { Markup, type Context } from 'telegraf'
import { isStaff } from '#shared/permissions'
import type { AppServices } from '../composition-root'
import { chatLocale, syncTelegramUser } from '../services/auth/users'
import { ADMIN_LINK_TTL_SECONDS, issueAdminLoginLink } from '../services/auth/admin-login'
import { RATE_LIMITS, hitRateLimits } from '../services/auth/rate-limit'

const TEXT = {
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

/** /admin: a one-time desktop sign-in link, sent only to staff, only in the private chat. */
export async function onAdminCommand(ctx: Context, services: AppServices) {
  const from = ctx.from!
  const lang = await chatLocale(services.db, from.id, from.language_code)
  if (ctx.chat?.type !== 'private') return void (await ctx.reply(TEXT.adminPrivateOnly[lang]))
  const { roles } = await syncTelegramUser(
    services.db,
    { id: from.id, firstName: from.first_name, lastName: from.last_name, username: from.username, languageCode: from.language_code },
    { source: 'bot', ownerIds: services.config.adminTelegramIds },
  )
  if (!isStaff(roles)) return void (await ctx.reply(TEXT.adminRefused[lang]))
  const limit = await hitRateLimits(services.db, [{ key: `adminlink:user:${from.id}`, ...RATE_LIMITS.adminLinksPerUser }])
  if (!limit.allowed) return void (await ctx.reply(TEXT.adminTooMany[lang]))
  const { url } = await issueAdminLoginLink(services.db, from.id, services.config.publicUrl, { actorVia: 'bot', requestId: `update-${ctx.update.update_id}`, ip: null })
  // Telegram refuses URL buttons to plain-http hosts: the link is always in the text as well.
  const keyboard = url.startsWith('https://') ? Markup.inlineKeyboard([Markup.button.url(TEXT.adminOpen[lang], url)]) : undefined
  await ctx.reply(TEXT.adminLink[lang](url, ADMIN_LINK_TTL_SECONDS / 60), { ...keyboard, link_preview_options: { is_disabled: true } })
}
