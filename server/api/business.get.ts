import { useServices, type AppServices } from '#server/utils/runtime'
import { getBusinessProfile } from '#server/services/settings/business'

let botUsername: Promise<string | null> | undefined
/** The bot's @username: configured, known to Telegraf, or asked once from getMe (null when Telegram is unreachable). */
function resolveBotUsername(services: AppServices, configured: string): Promise<string | null> {
  if (configured) return Promise.resolve(configured.replace(/^@/, ''))
  if (services.telegram.sandbox) return Promise.resolve(services.telegram.sandbox.botInfo.username)
  if (services.bot.botInfo?.username) return Promise.resolve(services.bot.botInfo.username)
  botUsername ??= services.bot.telegram.getMe().then((me) => me.username ?? null, () => (botUsername = undefined, null))
  return botUsername
}

/**
 * Public: the business profile (name, tagline, address, hours) for the landing page and the Mini
 * App's home, plus how to reach the Mini App (t.me link, or the sandbox when no bot is configured).
 */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  const pub = useRuntimeConfig(event).public as { telegramBotUsername?: string; telegramAppName?: string }
  const { configured: _configured, ...profile } = await getBusinessProfile(services.db)
  const username = await resolveBotUsername(services, pub.telegramBotUsername ?? '')
  const appName = pub.telegramAppName ?? ''
  const telegramLink = username ? (appName ? `https://t.me/${username}/${appName}` : `https://t.me/${username}?startapp`) : null
  setResponseHeader(event, 'Cache-Control', 'public, max-age=60')
  return { profile, sandbox: services.config.telegram.sandbox, botUsername: username, telegramLink }
})
