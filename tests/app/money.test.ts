import { describe, expect, it } from 'vitest'
import { decimalAmount, editableAmount, formatMoney, minorUnitDigits, parseAmount } from '#shared/money'

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ')

describe('the one money helper (shared/money.ts)', () => {
  it('shows Telegram Stars as whole stars, never as dollars or with kopecks', () => {
    for (const locale of ['ru', 'en']) {
      const text = formatMoney(250, 'XTR', locale)
      expect(text).toBe('250 ⭐')
      expect(text).not.toMatch(/\$|2[.,]5|XTR/)
    }
    expect(plain(formatMoney(12500, 'XTR', 'ru'))).toBe('12 500 ⭐')
    expect(formatMoney(12500, 'XTR', 'en')).toBe('12,500 ⭐')
  })

  it('shows minor units of two-decimal currencies as such, without ",00" for whole amounts', () => {
    expect(plain(formatMoney(22000, 'RUB', 'ru'))).toBe('220 ₽')
    expect(plain(formatMoney(14990, 'RUB', 'ru'))).toBe('149,90 ₽')
    expect(plain(formatMoney(14990, 'RUB', 'en'))).toBe('RUB 149.90')
    expect(plain(formatMoney(1000, 'USD', 'en'))).toBe('US$10')
  })

  it('knows currencies without a minor unit', () => {
    expect(minorUnitDigits('XTR')).toBe(0)
    expect(minorUnitDigits('JPY')).toBe(0)
    expect(minorUnitDigits('RUB')).toBe(2)
    expect(plain(formatMoney(500, 'JPY', 'en'))).toBe('JP¥500')
    expect(decimalAmount(24000, 'RUB')).toBe('240.00')
    expect(decimalAmount(250, 'XTR')).toBe('250')
  })

  it('reads and writes the amounts operators type, in the currency edited', () => {
    expect(parseAmount('219,90', 'RUB')).toBe(21990)
    expect(parseAmount('1 200', 'RUB')).toBe(120000)
    expect(parseAmount('250', 'XTR')).toBe(250)
    expect(parseAmount('2.5', 'XTR')).toBeNull()
    expect(parseAmount('abc', 'RUB')).toBeNull()
    expect(editableAmount(21990, 'RUB')).toBe('219.90')
    expect(editableAmount(22000, 'RUB')).toBe('220')
    expect(editableAmount(250, 'XTR')).toBe('250')
    expect(editableAmount(null, 'RUB')).toBe('')
  })
})
