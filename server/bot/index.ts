import { Telegraf } from 'telegraf'
import type { AppServices } from '../composition-root'
import { onSharedContact } from './account'
import { onAdminCommand } from './admin'
import { onBookingButton } from './booking'
import { onStopCommand, onUnsubscribeButton } from './broadcasts'
import { onPreCheckoutQuery, onRefundedPayment, onShippingQuery, onSuccessfulPayment } from './payments'
import { onHelp, onStart } from './start'
import { onOtherMessage } from './fallback'
import { isSupportMessage, onRatingButton, onSupportMessage, onTopicMessage } from './support'

/**
 * The Telegraf bot. It never starts its own polling or webhook server: updates reach it through
 * our intake (stored first, then `handleUpdate`), so every update is deduped and retried by us.
 */
export function createBot(options: { token: string; apiRoot: string }) {
  const bot = new Telegraf(options.token, { telegram: { apiRoot: options.apiRoot, webhookReply: false } })
  // Telegraf rethrows handler errors from handleUpdate; our intake records them and retries.
  bot.catch((error) => {
    throw error
  })
  return bot
}

export type Bot = ReturnType<typeof createBot>

/**
 * The routing table: which module answers which update. Each module's adapter (server/bot/<module>.ts)
 * reads the update, calls its module's service and answers; nothing else happens here.
 */
export function routeUpdates(bot: Bot, services: AppServices) {
  bot.start((ctx) => onStart(ctx, services))
  bot.help((ctx) => onHelp(ctx, services))
  bot.command('admin', (ctx) => onAdminCommand(ctx, services))
  bot.command('stop', (ctx) => onStopCommand(ctx, services))
  bot.action(/^broadcasts:stop$/, (ctx) => onUnsubscribeButton(ctx, services))

  bot.action(/^booking:/, (ctx) => onBookingButton(ctx, services))
  bot.on('shipping_query', (ctx) => onShippingQuery(ctx, services))
  bot.on('pre_checkout_query', (ctx) => onPreCheckoutQuery(ctx, services))
  bot.on('message', async (ctx, next) => {
    // Telegraf's types stop at Bot API 7.1: refunded_payment is read from the raw message.
    const message = ctx.message as typeof ctx.message & { successful_payment?: unknown; refunded_payment?: unknown }
    if (message.successful_payment) return onSuccessfulPayment(ctx, services)
    if (message.refunded_payment) return onRefundedPayment(ctx, services)
    return next()
  })
  bot.on('message', (ctx, next) => onSharedContact(ctx, services, next))
  bot.action(/^support:/, (ctx) => onRatingButton(ctx, services))
  // Operators answering in a conversation's forum topic of their Telegram group.
  bot.on('message', async (ctx, next) => ((await onTopicMessage(ctx, services)) ? undefined : next()))
  // A customer's own words, photos and files in the private chat go to support (stored, then relayed to operators).
  bot.on('message', (ctx, next) => (isSupportMessage(ctx) ? onSupportMessage(ctx, services) : next()))
  // Last: commands nobody routed, shared contacts: a short answer pointing to the app.
  bot.on('message', (ctx) => onOtherMessage(ctx, services))
}
