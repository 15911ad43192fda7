import type { Context } from 'telegraf'
import type { AppServices } from '../composition-root'
import { chatLocale } from '../services/auth/users'
import { unsubscribeFromNews } from '../services/broadcasts'
import { BROADCAST_TEXTS } from '../services/broadcasts/messages'
import { contextFor } from '../services/context'

function customerOf(ctx: Context, services: AppServices) {
  return contextFor(services, { kind: 'customer', userId: ctx.from!.id, via: 'bot' }, { requestId: `update-${ctx.update.update_id}`, ip: null })
}

/** /stop: the customer opts out of news; the answer says how to turn them back on. */
export async function onStopCommand(ctx: Context, services: AppServices) {
  const from = ctx.from!
  await unsubscribeFromNews(customerOf(ctx, services))
  const lang = await chatLocale(services.db, from.id, from.language_code)
  await ctx.reply(BROADCAST_TEXTS.unsubscribed[lang])
}

/** "Unsubscribe" under a broadcast: the same, answered over the chat (the message stays). */
export async function onUnsubscribeButton(ctx: Context, services: AppServices) {
  const from = ctx.from!
  await unsubscribeFromNews(customerOf(ctx, services))
  const lang = await chatLocale(services.db, from.id, from.language_code)
  await ctx.answerCbQuery(BROADCAST_TEXTS.unsubscribedShort[lang])
  await ctx.reply(BROADCAST_TEXTS.unsubscribed[lang])
}
