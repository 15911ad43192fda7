import type { Context } from 'telegraf'
import type { AppServices } from '../composition-root'
import { contextFor } from '../services/context'
import { rememberSharedPhone } from '../services/account/profile'
import { chatLocale } from '../services/auth/users'

const SAVED = {
  ru: 'Спасибо, номер сохранён в вашем профиле и подставится в заказы.',
  en: 'Thank you, the number is saved in your profile and fills in your orders.',
}

/**
 * A contact shared in the private chat (the Mini App's requestContact, or the attachment menu).
 * Only the sender's own contact (`user_id` equals `from.id`, as Telegram signs it) becomes their
 * verified phone; someone else's card is passed on to the other routes.
 */
export async function onSharedContact(ctx: Context, services: AppServices, next: () => Promise<void>) {
  const message = ctx.message as { contact?: { phone_number: string; user_id?: number } } | undefined
  const contact = message?.contact
  if (!contact || !ctx.from || ctx.chat?.type !== 'private' || contact.user_id !== ctx.from.id) return next()
  const customer = contextFor(services, { kind: 'customer', userId: ctx.from.id, via: 'bot' }, { requestId: `update-${ctx.update.update_id}`, ip: null })
  await rememberSharedPhone(customer, contact.phone_number)
  await ctx.reply(SAVED[await chatLocale(services.db, ctx.from.id, ctx.from.language_code)])
}
