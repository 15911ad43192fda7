import { describe, expect, it } from 'vitest'
import { catalogWords, defaultOptions, displayUnitPrice, newIdempotencyKey } from '../../app/utils/storefront'
import { IdempotencyKeySchema } from '../../shared/schemas/orders'

const cappuccino = {
  priceMinor: 22000,
  options: [
    { key: 'milk', name: { ru: 'Молоко', en: 'Milk' }, required: false, values: [
      { value: 'oat', name: { ru: 'Овсяное', en: 'Oat' }, priceDeltaMinor: 6000 },
      { value: 'cow', name: { ru: 'Коровье', en: 'Whole milk' }, priceDeltaMinor: 0 },
    ] },
    { key: 'size', name: { ru: 'Объём', en: 'Size' }, required: true, values: [
      { value: 's', name: { ru: '250 мл', en: '250 ml' }, priceDeltaMinor: -3000 },
      { value: 'l', name: { ru: '400 мл', en: '400 ml' }, priceDeltaMinor: 5000 },
    ] },
  ],
}

describe('product card price (display only)', () => {
  it('starts from the no-surcharge value of each option, or the first one', () => {
    expect(defaultOptions(cappuccino)).toEqual({ milk: 'cow', size: 's' })
  })
  it('adds the deltas of the chosen values and ignores unknown ones', () => {
    expect(displayUnitPrice(cappuccino, { milk: 'oat', size: 'l' })).toBe(33000)
    expect(displayUnitPrice(cappuccino, { milk: 'soy' })).toBe(22000)
    expect(displayUnitPrice(cappuccino, {})).toBe(22000)
  })
})

describe('checkout idempotency key', () => {
  it('is accepted by the API and new every time', () => {
    const a = newIdempotencyKey()
    expect(IdempotencyKeySchema.parse(a)).toBe(a)
    expect(newIdempotencyKey()).not.toBe(a)
  })
})

describe('what the catalog is called', () => {
  const generic = { title: 'Каталог', open: 'Открыть каталог' }
  const open = (title: string) => `Открыть ${title}`
  it('is the business’s own word, with the button around it in lower case', () => {
    expect(catalogWords('Меню', generic, open)).toEqual({ title: 'Меню', open: 'Открыть меню' })
    expect(catalogWords(' Услуги и цены ', generic, open)).toEqual({ title: 'Услуги и цены', open: 'Открыть услуги и цены' })
  })
  it('keeps an abbreviation’s capitals', () => {
    expect(catalogWords('SPA-услуги', generic, open)).toEqual({ title: 'SPA-услуги', open: 'Открыть SPA-услуги' })
  })
  it('is the generic pair when the business named none', () => {
    expect(catalogWords(undefined, generic, open)).toBe(generic)
    expect(catalogWords('  ', generic, open)).toBe(generic)
  })
})
