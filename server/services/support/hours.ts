import type { DbOrTx } from '../../db/client'
import { SupportHoursSchema, type SupportHours } from '#shared/schemas/support'
import { dateTimeFormat } from '#shared/intl'
import { businessTimezone, getSetting, storeSetting } from '../settings'
import { write, type ServiceContext } from '../context'

const HOURS_KEY = 'support.hours'

/** Until the business sets its hours, operators are taken to answer every day, 09:00-21:00. */
export const DEFAULT_SUPPORT_HOURS: SupportHours = {
  days: Array.from({ length: 7 }, () => ({ from: '09:00', to: '21:00' })),
  autoReply: {
    ru: 'Сейчас мы не на связи. Ваше сообщение сохранено — оператор ответит в рабочее время. Ответы на частые вопросы — в приложении.',
    en: 'We are offline right now. Your message is saved and an operator will answer during working hours. Answers to common questions are in the app.',
  },
  expectedReplyMinutes: 15,
  timeZone: null,
  holidays: [],
}

/** The support hours and the auto-reply, as the business set them (or the defaults). */
export async function getSupportHours(db: DbOrTx): Promise<SupportHours> {
  const stored = SupportHoursSchema.safeParse(await getSetting(db, HOURS_KEY))
  return stored.success ? stored.data : DEFAULT_SUPPORT_HOURS
}

/** Staff change the hours; audited like every setting. */
export async function setSupportHours(ctx: ServiceContext, hours: SupportHours) {
  return write(ctx, async (w) => {
    const before = await getSupportHours(w.db)
    await storeSetting(w, HOURS_KEY, hours)
    await w.audit({ action: 'support.hours', entityType: 'setting', entityId: HOURS_KEY, before, after: hours })
    return hours
  })
}

/** Weekday (0 = Sunday), "HH:MM" and the date (YYYY-MM-DD) of `at` in `timeZone`. */
function localTime(at: Date, timeZone: string) {
  const parts = dateTimeFormat('en-GB', { timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'))
  return { weekday, time: `${get('hour')}:${get('minute')}`, date: `${get('year')}-${get('month')}-${get('day')}` }
}

/** The day before `date` (YYYY-MM-DD). */
const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)

/**
 * Whether operators are at work at `at` (a window may run past midnight: 20:00-02:00; 00:00-00:00
 * is the whole day). A holiday closes its whole date, including the part of the night before's
 * window that runs into it; the night after a holiday is not opened by it.
 */
export function withinHours(hours: SupportHours, timeZone: string, at: Date): boolean {
  const zone = hours.timeZone ?? timeZone
  const { weekday, time, date } = localTime(at, zone)
  const holidays = new Set(hours.holidays ?? [])
  if (holidays.has(date)) return false
  const today = hours.days[weekday]
  if (today && (today.from === today.to || (today.from < today.to ? time >= today.from && time < today.to : time >= today.from))) return true
  const yesterday = hours.days[(weekday + 6) % 7]
  return !!yesterday && !holidays.has(dayBefore(date)) && yesterday.from > yesterday.to && time < yesterday.to
}

/** What the customer is told before writing: are operators at work, and how long an answer usually takes. */
export async function supportAvailability(db: DbOrTx, at = new Date()) {
  const hours = await getSupportHours(db)
  const online = withinHours(hours, await businessTimezone(db), at)
  return { online, expectedReplyMinutes: online ? hours.expectedReplyMinutes : null, hours: hours.days }
}
