/** Rubles typed by an operator ("219,90", "1 200", "220") to kopecks; null when it is not a price. */
export function rublesToMinor(input: string): number | null {
  const cleaned = input.replace(/[\s\u00a0]/g, '').replace(',', '.')
  if (!/^-?\d+(\.\d{1,2})?$/.test(cleaned)) return null
  return Math.round(Number(cleaned) * 100)
}

/** Kopecks to the decimal an operator edits: 21990 -> "219.90", 22000 -> "220". */
export const minorToRubles = (minor: number | null | undefined) => (minor === null || minor === undefined ? '' : minor % 100 === 0 ? String(minor / 100) : (minor / 100).toFixed(2))
