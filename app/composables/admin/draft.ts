import type { AdminMessageKey } from './i18n'

type Params = Record<string, string | number>
/** A problem found while reading the working copy: the body path it belongs to and its message. */
export type DraftIssue = { path: string; key: AdminMessageKey; params?: Params }

/** Rubles typed by a person ("219,90", "1 200", "220") to kopecks; null when it is not an amount. */
export function rublesToMinor(input: string): number | null {
  const cleaned = input.replace(/[\s\u00a0]/g, '').replace(',', '.')
  if (!/^-?\d+(\.\d{1,2})?$/.test(cleaned)) return null
  return Math.round(Number(cleaned) * 100)
}
/** Kopecks to the decimal a person edits: 21990 -> "219.90", 22000 -> "220", none -> "". */
export const minorToRubles = (minor: number | null | undefined) => (minor == null ? '' : minor % 100 === 0 ? String(minor / 100) : (minor / 100).toFixed(2))

/**
 * Reads the working copy's typed text into API values (money, lists) and notes what it cannot read,
 * under the request body's path, so the schema's own issues and these land on the same fields.
 */
export class DraftReader {
  readonly issues: DraftIssue[] = []
  /** An amount in rubles to minor units: empty is `empty`; unreadable (or negative, unless allowed) is an issue. */
  money<E extends null | number | undefined>(text: string, path: string, empty: E, { negative = false } = {}): number | E {
    if (!text.trim()) return empty
    const minor = rublesToMinor(text)
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
