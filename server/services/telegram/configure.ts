import type { AppServices } from '../../composition-root'
import type { Bot } from '../../bot'
import { miniAppUrl } from './links'

/** Webhook URL the app listens on; in the sandbox the fake Bot API calls the app over loopback. */
export function webhookUrl(services: Pick<AppServices, 'config'>) {
  const { config } = services
  if (config.telegram.sandbox) return `http://127.0.0.1:${config.port}/api/telegram/webhook`
  return new URL('/api/telegram/webhook', config.publicUrl).toString()
}

/** Menu button and commands, set on every start so a changed PUBLIC_URL reaches the chat. */
async function configureBotChat(bot: Bot, publicUrl: string) {
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

/** Points Telegram at us: webhook with the secret (or no webhook when polling), menu button and commands. */
export async function configureTelegram(services: AppServices) {
  const { bot, config, logger } = services
  if (config.telegram.updates === 'webhook' || config.telegram.sandbox) {
    const url = webhookUrl(services)
    await bot.telegram.setWebhook(url, { secret_token: services.telegram.webhookSecret, max_connections: 40, drop_pending_updates: false })
    logger.info('telegram webhook set', { url })
  } else {
    await bot.telegram.deleteWebhook({ drop_pending_updates: false })
  }
  await configureBotChat(bot, config.publicUrl)
}
