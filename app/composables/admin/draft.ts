import { editableAmount, parseAmount } from '#shared/money'
import type { AdminMessageKey } from './i18n'

type Params = Record<string, string | number>
/** A problem found while reading the working copy: the body path it belongs to and its message. */
export type DraftIssue = { path: string; key: AdminMessageKey; params?: Params }

/** Rubles typed by a person ("219,90", "1 200", "220") to kopecks; null when it is not an amount (shared/money.ts reads it). */
export const rublesToMinor = (input: string) => parseAmount(input, 'RUB')
/** Kopecks to the decimal a person edits: 21990 -> "219.90", 22000 -> "220", none -> "". */
export const minorToRubles = (minor: number | null | undefined) => editableAmount(minor, 'RUB')
/** Any currency: whole Telegram Stars, rubles with kopecks ("250" -> 250 XTR, "219,90" -> 21990 RUB). */
export { editableAmount, parseAmount }

/**
 * Reads the working copy's typed text into API values (money, lists) and notes what it cannot read,
 * under the request body's path, so the schema's own issues and these land on the same fields.
 */
export class DraftReader {
  readonly issues: DraftIssue[] = []
  /** An amount typed in `currency` (rubles by default) to minor units: empty is `empty`; unreadable (or negative, unless allowed) is an issue. */
  money<E extends null | number | undefined>(text: string, path: string, empty: E, { negative = false, currency = 'RUB' } = {}): number | E {
    if (!text.trim()) return empty
    const minor = parseAmount(text, currency)
    if (minor === null || (minor < 0 && !negative)) this.issue(path, 'form.money')
    return minor ?? empty
  }

  /** A list typed one per line or comma-separated (the server trims, drops blanks and repeats). */
  list = (text: string) => text.split(/[,;\n]/).map((s) => s.trim()).filter(Boolean)
  /** Text that is optional in the API: absent when blank. */
  optional = (text: string) => text.trim() || undefined
  issue(path: string, key: AdminMessageKey, params?: Params) {
    this.issues.push({ path, key, params })
  }
}
