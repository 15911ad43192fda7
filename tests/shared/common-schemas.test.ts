import { describe, expect, it } from 'vitest'
import { containsUnstorableText, idCursor, queryDate, rowIdParam, text } from '#shared/schemas/common'

describe('shared zod building blocks (what PostgreSQL can hold)', () => {
  it('text refuses NUL and lone surrogates, keeps any real Unicode', () => {
    expect(text().safeParse('Капучино ☕ 🙂').success).toBe(true)
    for (const bad of ['a\u0000b', 'x\udfffy', '\ud800', 'tail\ud83d']) expect(text().safeParse(bad).success, JSON.stringify(bad)).toBe(false)
  })

  it('ids and cursors stay within int4', () => {
    expect(rowIdParam().parse('2147483647')).toBe(2147483647)
    for (const bad of ['2147483648', '99999999999', '0', '-1', '1.5', 'abc']) expect(idCursor().safeParse(bad).success, bad).toBe(false)
  })

  it('dates stay between 1970 and the year 9999', () => {
    expect(queryDate().parse('2025-03-01')).toEqual(new Date('2025-03-01'))
    for (const bad of ['-200000-01-01', '275760-09-13', '1900-01-01', 'yesterday']) expect(queryDate().safeParse(bad).success, bad).toBe(false)
  })

  it('finds unstorable text anywhere in a payload, keys included', () => {
    expect(containsUnstorableText({ message: { text: 'ok 🙂', entities: [{ type: 'bold' }] } })).toBe(false)
    expect(containsUnstorableText({ message: { text: 'x\u0000' } })).toBe(true)
    expect(containsUnstorableText([{ a: ['\udfff'] }])).toBe(true)
    expect(containsUnstorableText({ ['k\u0000']: 1 })).toBe(true)
  })
})
