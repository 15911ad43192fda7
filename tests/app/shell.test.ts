import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../shared/errors'
import ru from '../../app/i18n/ru'
import ruMore from '../../app/i18n/ru.more'
import en from '../../app/i18n/en'
import enMore from '../../app/i18n/en.more'
import { routeForStartParam } from '../../app/utils/start-param'

describe('start_param routing', () => {
  it.each([
    ['product_cappuccino', '/app/product/cappuccino'],
    ['category_coffee', '/app/category/coffee'],
    ['booking_barista-basics', '/app/booking/barista-basics'],
    ['form_12', '/app/forms/12'],
    ['order_7f3a', '/app/orders/7f3a'],
    ['visit_42', '/app/bookings/42'],
  ])('%s opens %s', (param, route) => expect(routeForStartParam(param)).toBe(route))

  it.each([null, '', 'banana_42', 'product_', 'product_a_b', 'order_../x'])('%s lands on home', (param) => {
    expect(routeForStartParam(param)).toBe('/app')
  })
})

describe('error messages', () => {
  it('has a message and a next step for every API error code in both languages', () => {
    for (const code of [...Object.keys(ERROR_CODES), 'network', 'unknown']) {
      for (const [first, more] of [[ru, ruMore], [en, enMore]] as const) {
        const entry = ({ ...first.errors, ...more.errors } as Record<string, { title: string; action: string }>)[code]
        expect(entry?.title, code).toBeTruthy()
        expect(entry?.action, code).toBeTruthy()
      }
    }
  })
})

describe('dictionary halves', () => {
  const paths = (node: unknown, prefix = ''): string[] =>
    typeof node === 'string' ? [prefix] : Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => paths(v, prefix ? `${prefix}.${k}` : k))
  it('puts every string in exactly one half (first screen or the rest), the same way in both languages', () => {
    for (const [first, more] of [[ru, ruMore], [en, enMore]] as const) {
      const inFirst = new Set(paths(first))
      expect(paths(more).filter((p) => inFirst.has(p))).toEqual([])
    }
    expect(paths(en).sort()).toEqual(paths(ru).sort())
    expect(paths(enMore).sort()).toEqual(paths(ruMore).sort())
  })
})
