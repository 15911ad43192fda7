import { Markup } from 'telegraf'
import type { Locale } from '#shared/locale'
import { formatMoney } from '#shared/money'
import type { LocalizedText } from '../../db/schema/_columns'
import { miniAppUrl } from '../telegram/links'
import type { BookingNotice } from './jobs'

type Booking = {
  id: number
  startsAt: Date
  timezone: string
  priceMinor: number
  currency: string
  prepaymentMinor?: number
  prepaymentCurrency?: string | null
  paidAt?: Date | null
  holdExpiresAt?: Date | null
  service: { name: LocalizedText }
  resource: { name: LocalizedText }
}

const PAID = { ru: 'Предоплата получена', en: 'Prepayment received' }
const HELD_UNTIL = { ru: 'Место держим для вас до', en: 'The place is held for you until' }

/** "Tuesday, 8 December, 15:00 (Moscow time)" in the customer's language, in the zone of the schedule. */
export function bookingWhen(booking: Pick<Booking, 'startsAt' | 'timezone'>, lang: Locale) {
  const when = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { timeZone: booking.timezone, weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(booking.startsAt)
  const zone = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { timeZone: booking.timezone, timeZoneName: 'long' }).formatToParts(booking.startsAt).find((p) => p.type === 'timeZoneName')?.value
  return zone ? `${when} (${zone})` : when
}

const HEAD: Record<Locale, Record<BookingNotice | 'reminder', string>> = {
  ru: {
    confirmed: 'Вы записаны',
    rescheduled: 'Запись перенесена',
    cancelled: 'Запись отменена',
    expired: 'Время на подтверждение истекло',
    no_show: 'Жаль, что вы не пришли',
    offered: 'Освободилось место, которое вы ждали',
    reminder: 'Напоминаем о записи',
  },
  en: {
    confirmed: 'You are booked',
    rescheduled: 'Your booking was moved',
    cancelled: 'Your booking was cancelled',
    expired: 'The time to confirm ran out',
    no_show: 'We missed you',
    offered: 'A place you were waiting for is free',
    reminder: 'A reminder of your booking',
  },
}

const BUTTONS = {
  ru: { attend: 'Приду ✅', reschedule: 'Перенести', cancel: 'Отменить', open: 'Открыть запись', again: 'Записаться снова', take: 'Записаться', pay: 'Оплатить и записаться', pass: 'Не нужно' },
  en: { attend: "I'll be there ✅", reschedule: 'Reschedule', cancel: 'Cancel', open: 'Open the booking', again: 'Book again', take: 'Book it', pay: 'Pay and book', pass: 'No, thanks' },
}

/**
 * The chat message about a booking: what, with whom, when (in the schedule's zone, named), and
 * the buttons that act on it. `booking:<action>:<id>` buttons are answered by server/bot/booking.ts;
 * reschedule opens the Mini App on the booking.
 */
export function bookingMessage(booking: Booking, kind: BookingNotice | 'reminder', lang: Locale, publicUrl: string) {
  const price = booking.priceMinor > 0 ? `\n${formatMoney(booking.priceMinor, booking.currency, lang)}` : ''
  const paid = booking.paidAt && booking.prepaymentMinor && booking.prepaymentCurrency && kind !== 'cancelled' ? `\n${PAID[lang]}: ${formatMoney(booking.prepaymentMinor, booking.prepaymentCurrency, lang)}` : ''
  const until =
    kind === 'offered' && booking.holdExpiresAt
      ? `\n${HELD_UNTIL[lang]} ${new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { timeZone: booking.timezone, hour: '2-digit', minute: '2-digit' }).format(booking.holdExpiresAt)}`
      : ''
  const text = `${HEAD[lang][kind]}: ${booking.service.name[lang]}\n${bookingWhen(booking, lang)}\n${booking.resource.name[lang]}${kind === 'cancelled' ? '' : price}${paid}${until}`
  const b = BUTTONS[lang]
  if (kind === 'offered') {
    // A prepaid service is taken by paying, in the Mini App on this booking; otherwise one tap books it.
    const take = booking.prepaymentMinor ? Markup.button.webApp(b.pay, miniAppUrl(publicUrl, `visit_${booking.id}`)) : Markup.button.callback(b.take, `booking:take:${booking.id}`)
    return { text, extra: Markup.inlineKeyboard([[take], [Markup.button.callback(b.pass, `booking:pass:${booking.id}`)]]) }
  }
  const open = Markup.button.webApp(kind === 'confirmed' || kind === 'reminder' || kind === 'rescheduled' ? b.reschedule : b.open, miniAppUrl(publicUrl, `visit_${booking.id}`))
  const cancel = Markup.button.callback(b.cancel, `booking:cancel:${booking.id}`)
  if (kind === 'reminder') return { text, extra: Markup.inlineKeyboard([[Markup.button.callback(b.attend, `booking:attend:${booking.id}`)], [open, cancel]]) }
  if (kind === 'confirmed' || kind === 'rescheduled') return { text, extra: Markup.inlineKeyboard([[open, cancel]]) }
  return { text, extra: Markup.inlineKeyboard([[Markup.button.webApp(b.again, miniAppUrl(publicUrl, `visit_${booking.id}`))]]) }
}

/** Short answers to the chat buttons (answerCallbackQuery texts). */
export const CALLBACK_ANSWERS = {
  ru: { attended: 'Спасибо, ждём вас!', cancelled: 'Запись отменена', tooLate: 'Отменить онлайн уже нельзя — позвоните нам', gone: 'Эта запись уже неактуальна', taken: 'Вы записаны!', passed: 'Хорошо, предложим место следующему', payFirst: 'Эту запись подтверждает предоплата — откройте её в приложении' },
  en: { attended: 'Thank you, see you then!', cancelled: 'Your booking is cancelled', tooLate: 'Too late to cancel online — please call us', gone: 'This booking no longer applies', taken: 'You are booked!', passed: 'Fine, we will offer it to the next in line', payFirst: 'This booking is confirmed by its prepayment: open it in the app' },
}
