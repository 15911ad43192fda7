import { describe, expect, it } from 'vitest'
import { DraftReader, minorToRubles, rublesToMinor } from '../../app/composables/admin/draft'

describe('money typed in /admin forms', () => {
  it('reads rubles as people type them into kopecks', () => {
    expect(rublesToMinor('220')).toBe(22_000)
    expect(rublesToMinor('219,90')).toBe(21_990)
    expect(rublesToMinor('1 200')).toBe(120_000)
    expect(rublesToMinor('1\u00a0200.5')).toBe(120_050)
    expect(rublesToMinor('-30')).toBe(-3000)
  })

  it('refuses what is not an amount', () => {
    for (const text of ['12,3x', '1.234', '', 'abc', '1,2,3']) expect(rublesToMinor(text), text).toBeNull()
  })

  it('shows kopecks back as the decimal a person edits', () => {
    expect(minorToRubles(22_000)).toBe('220')
    expect(minorToRubles(21_990)).toBe('219.90')
    expect(minorToRubles(null)).toBe('')
  })
})

describe('DraftReader', () => {
  it('turns typed text into API values and names the field it cannot read', () => {
    const read = new DraftReader()
    expect(read.money('', 'freeFromMinor', null)).toBeNull()
    expect(read.money('190', 'priceMinor', undefined)).toBe(19_000)
    expect(read.money('-60', 'options.0.values.1.priceDeltaMinor', 0, { negative: true })).toBe(-6000)
    expect(read.issues).toEqual([])
    expect(read.money('3 10,5x', 'priceMinor', undefined)).toBeUndefined()
    expect(read.money('-5', 'minOrderMinor', 0)).toBe(-500)
    expect(read.issues).toEqual([{ path: 'priceMinor', key: 'form.money', params: undefined }, { path: 'minOrderMinor', key: 'form.money', params: undefined }])
    expect(read.list('Москва\nMoscow, Зеленоград;  ')).toEqual(['Москва', 'Moscow', 'Зеленоград'])
    expect(read.optional('  ')).toBeUndefined()
  })
})
