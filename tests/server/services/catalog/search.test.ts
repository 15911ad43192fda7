import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { listProducts } from '../../../../server/services/catalog/products'
import { latinToCyrillic, searchVariants } from '../../../../server/services/catalog/search-variants'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { ProductListQuerySchema } from '../../../../shared/schemas/catalog'
import { createTestDatabase, engine } from '../../../helpers/db'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await createTestDatabase()
  await seedDemoData(handle.db)
})
afterAll(() => handle?.close())

/** The slugs a customer's search returns, best first. */
const search = async (q: string) => (await listProducts(handle.db, ProductListQuerySchema.parse({ q }))).items.map((p) => p.slug)

describe('what a query may have meant', () => {
  it('reads Latin letters as the Russian layout and as transliteration', () => {
    const texts = (q: string) => searchVariants(q).map((v) => v.text)
    expect(texts('rfgexbyj')).toContain('капучино')
    expect(texts('Kapuchino')).toContain('капучино')
    expect(latinToCyrillic('syrniki')).toBe('сырники')
    expect(latinToCyrillic('shakshuka')).toBe('шакшука')
    expect(latinToCyrillic('kofeynya')).toBe('кофейня')
    expect(latinToCyrillic('chai')).toBe('чай')
  })

  it('reads Cyrillic as the English layout, and leaves mixed scripts alone', () => {
    expect(searchVariants('дфееу').map((v) => v.text)).toEqual(['дфееу', 'latte'])
    expect(searchVariants('латте 2x').map((v) => v.text)).toEqual(['латте 2x'])
  })
})

describe(`search on ${engine}`, () => {
  it('finds a Russian product typed in Latin letters', async () => {
    expect((await search('kapuchino'))[0]).toBe('cappuccino')
    expect((await search('syrniki'))[0]).toBe('syrniki')
    expect(await search('kruassan')).toContain('croissant') // the English name is "Butter croissant"
    expect(await search('tort')).toContain('carrot-cake') // "Морковный торт" / "Carrot cake"
  })

  it('finds words typed with the wrong keyboard layout on', async () => {
    expect((await search('rfgexbyj'))[0]).toBe('cappuccino') // "капучино" on an English keyboard
    expect((await search('cshybrb'))[0]).toBe('syrniki') // "сырники"
    expect(await search('vfnxf')).toContain('matcha-latte') // "матча"
    expect(await search('дфееу')).toContain('matcha-latte') // "latte" on a Russian keyboard
  })

  it('still understands word forms, typos and English, and finds nothing for nonsense', async () => {
    expect((await search('капучино'))[0]).toBe('cappuccino')
    expect((await search('капучно'))[0]).toBe('cappuccino') // typo
    expect(await search('сырниками')).toContain('syrniki') // word form
    expect(await search('cheesecakes')).toContain('cheesecake')
    expect(await search('qqqzzzxxx')).toEqual([])
  })
})
