import { z } from 'zod'
import { isTimeZone, text } from './common'

/** Text in both languages of the app, each side within `max` characters (empty allowed unless `required`). */
const localized = (max: number, required = false) => {
  const side = required ? text().trim().min(1).max(max) : text().trim().max(max)
  return z.object({ ru: side, en: side })
}

/**
 * The business as customers see it: on the Mini App's home, the public pages, the bot's greeting
 * and the calendar files of bookings. The owner keeps it in /admin (Business); the time zone is
 * the one the business's days are counted in (booking days, support hours without their own).
 */
export const BusinessProfileSchema = z.object({
  name: localized(80, true),
  /** One line under the name: what the business is. */
  tagline: localized(160),
  /** What the business calls its catalog ("Меню", "Услуги и цены"); empty: "Каталог"/"Catalog". */
  catalogTitle: localized(30).default({ ru: '', en: '' }),
  /** A few words under the home screen's catalog entry ("Coffee, breakfast, desserts"). */
  menuHint: localized(60).default({ ru: '', en: '' }),
  address: localized(200),
  /** As people dial it; shown as a tap-to-call link. */
  phone: text().trim().max(32).regex(/^[+\d\s()-]*$/, 'digits, spaces, +, ( ) and - only'),
  hours: localized(120),
  timezone: text().trim().min(1).max(64).refine(isTimeZone, 'an IANA time zone, e.g. Europe/Moscow'),
  /** ISO 3166-1 alpha-2 ("RU", "KZ") of the address, for search engines; empty when not given. */
  country: text()
    .trim()
    .transform((v) => v.toUpperCase())
    .pipe(z.string().regex(/^([A-Z]{2})?$/, 'two letters, e.g. RU'))
    .default(''),
})
export type BusinessProfile = z.output<typeof BusinessProfileSchema>
