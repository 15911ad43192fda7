import type { Context } from 'telegraf'
import type { AppServices } from '../composition-root'
import { chatLocale } from '../services/auth/users'
import { cancelBookingAsCustomer, confirmAttendance, confirmBooking, getBooking } from '../services/booking'
import { CALLBACK_ANSWERS } from '../services/booking/messages'
import { contextFor } from '../services/context'
import { DomainError } from '../utils/errors'

/** `booking:<action>:<id>` from the buttons under booking messages (server/services/booking/messages.ts). */
const BUTTON = /^booking:(attend|cancel|take|pass):(\d{1,10})$/

/**
 * A customer presses "I'll be there" or "Cancel" under a booking message. The service checks the
 * booking is theirs and still allows it; the answer pops up over the chat, and a cancellation is
 * confirmed by its own message (queued by the service).
 */
export async function onBookingButton(ctx: Context, services: AppServices) {
  const query = ctx.callbackQuery!
  const data = 'data' in query ? query.data : ''
  const lang = await chatLocale(services.db, query.from.id, query.from.language_code)
  const texts = CALLBACK_ANSWERS[lang]
  const match = BUTTON.exec(data)
  if (!match) return void (await ctx.answerCbQuery(texts.gone))
  const [, action, rawId] = match
  const customer = contextFor(services, { kind: 'customer', userId: query.from.id, via: 'bot' }, { requestId: `update-${ctx.update.update_id}`, ip: null })
  try {
    if (action === 'attend') await confirmAttendance(customer, Number(rawId))
    else if (action === 'take') await confirmBooking(customer, Number(rawId))
    else if (action === 'pass') {
      // "No, thanks" lets go of the offered hold only: pressed after taking it, it cancels nothing.
      const offered = await getBooking(services.db, Number(rawId), query.from.id)
      if (offered.status !== 'held') return void (await ctx.answerCbQuery(texts.gone))
      await cancelBookingAsCustomer(customer, offered.id)
    } else await cancelBookingAsCustomer(customer, Number(rawId))
    await ctx.answerCbQuery({ attend: texts.attended, take: texts.taken, pass: texts.passed, cancel: texts.cancelled }[action as 'attend' | 'take' | 'pass' | 'cancel'])
  } catch (error) {
    if (!(error instanceof DomainError)) throw error
    const answer = error.code === 'change_deadline_passed' ? texts.tooLate : error.code === 'payment_required' ? texts.payFirst : texts.gone
    await ctx.answerCbQuery(answer, { show_alert: error.code === 'change_deadline_passed' || error.code === 'payment_required' })
  }
}
