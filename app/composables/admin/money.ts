import { editableAmount, parseAmount } from '#shared/money'

/**
 * Amounts an operator types and edits, in the currency of what is edited (shared/money.ts):
 * "219,90" -> 21990 for RUB, "250" -> 250 for Telegram Stars.
 */
export { editableAmount, parseAmount }

/** Delivery prices are in the business's currency, rubles: "219,90" -> 21990; null when it is not a price. */
export const rublesToMinor = (input: string) => parseAmount(input, 'RUB')
/** Kopecks to the decimal an operator edits: 21990 -> "219.90", 22000 -> "220". */
export const minorToRubles = (minor: number | null | undefined) => editableAmount(minor, 'RUB')
