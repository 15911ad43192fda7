/**
 * Intl formatters are costly to build (tens of microseconds, a time zone's rules included) and
 * immutable once built: one per locale and options, made on first use. An invalid zone or
 * currency throws as the constructor would, and is not kept.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>()
const numberFormats = new Map<string, Intl.NumberFormat>()
const KEPT = 500

function cached<F>(map: Map<string, F>, key: string, build: () => F): F {
  let format = map.get(key)
  if (!format) {
    format = build()
    if (map.size >= KEPT) map.clear()
    map.set(key, format)
  }
  return format
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(dateFormats, `${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options))
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(numberFormats, `${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options))
}
