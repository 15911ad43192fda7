import { z } from 'zod'

/**
 * Building blocks for every contract, so that what a client sends is always something the
 * database can hold: a value PostgreSQL would refuse (a NUL in text, an id past int4, a year
 * it cannot store) must be a 400 from the schema, never a 500 from the database. Use these
 * instead of bare `z.string()` / `z.coerce.number()` / `z.coerce.date()`; the fuzz suite
 * (tests/e2e/fuzz.test.ts) sends exactly these values to every route.
 */

// Zod compiles object parsers with `new Function` where it may, and even its probe for that is an
// eval our Content-Security-Policy forbids in the browser (server/utils/csp.ts): parse without it
// there. Every client use of zod goes through these shared schemas, so this runs first. The server
// keeps the compiled fast path.
if (typeof (globalThis as { window?: unknown }).window !== 'undefined') z.config({ jitless: true })

/**
 * PostgreSQL text and jsonb cannot hold U+0000, and jsonb refuses a lone UTF-16 surrogate
 * (`"\udfff"`, valid JSON but not Unicode): text is anything else, surrogates only in pairs.
 */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what these must find
const STORABLE_TEXT = /^(?:[^\u0000\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/
const STORABLE_MESSAGE = 'must not contain the NUL character or broken Unicode'
// eslint-disable-next-line no-control-regex -- as above
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Any text: a string without NUL characters or lone surrogates. Chain `.trim().min().max()` as usual. */
export const text = () => z.string().regex(STORABLE_TEXT, STORABLE_MESSAGE)

/** Largest value of a PostgreSQL `integer` (int4): our row ids and most counters. */
export const INT4_MAX = 2_147_483_647

/** A row id in a body (JSON number): a positive int4. */
export const rowId = () => z.number().int().positive().max(INT4_MAX)
/** A row id in a path or query string (coerced from text): a positive int4. */
export const rowIdParam = () => z.coerce.number().int().positive().max(INT4_MAX)
/** A keyset cursor that is the last row's id (`before=` / `after=`). */
export const idCursor = rowIdParam

/** A Telegram user or chat id (bigint column; JavaScript numbers are exact up to 2^53). */
export const telegramIdParam = () => z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)

/** Dates PostgreSQL `timestamptz` stores and people mean: from 1970 to the year 9999. */
export const DATE_MIN = new Date('1970-01-01T00:00:00Z')
export const DATE_MAX = new Date('9999-12-31T23:59:59.999Z')
/** A date in a query string (ISO 8601, e.g. `2025-03-01` or `2025-03-01T10:00:00Z`). */
export const queryDate = () =>
  z.coerce
    .date({ error: 'must be a date such as 2025-03-01' })
    .min(DATE_MIN, 'must be after 1970')
    .max(DATE_MAX, 'must be before the year 10000')

/** True when a value (string, array, object, deeply, keys too) holds text PostgreSQL cannot store: for payloads checked as a whole (Telegram updates, jsonb). */
export function containsUnstorableText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value)
  if (depth > 64 || value === null || typeof value !== 'object') return false
  if (Array.isArray(value)) return value.some((item) => containsUnstorableText(item, depth + 1))
  return Object.entries(value).some(([key, item]) => UNSTORABLE.test(key) || containsUnstorableText(item, depth + 1))
}

/** Whether `zone` is an IANA time zone this runtime knows (Europe/Moscow, Asia/Almaty, UTC). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}
