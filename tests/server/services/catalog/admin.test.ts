import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { products } from '../../../../server/db/schema'
import { adjustStock, exportProductsCsv, importProductsCsv, updateProduct } from '../../../../server/services/catalog/admin'
import { parseCsv, toCsv } from '../../../../server/utils/csv'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'
import { listAudit } from '../../../../server/services/audit'

let handle: DatabaseHandle
let services: TestServices
const OWNER = 9000000099
beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle)
  await seedDemoData(handle.db)
})
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

const product = async (slug: string) => (await handle.db.select().from(products).where(eq(products.slug, slug)))[0]

describe('CSV', () => {
  it('reads quotes, line breaks, BOM and semicolon files, and writes them back', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, ""y""","multi\nline"\n\n')).toEqual([['a', 'b'], ['x, "y"', 'multi\nline']])
    expect(parseCsv('slug;price\nraf;290,00')).toEqual([['slug', 'price'], ['raf', '290,00']])
    const csv = toCsv([['a', '=HYPERLINK("x")'], ['-5', 'ok']])
    expect(parseCsv(csv)).toEqual([['a', `'=HYPERLINK("x")`], ['-5', 'ok']])
  })
})

describe(`catalog administration on ${engine}`, () => {
  it('imports the good rows and reports each bad row with its line and field', async () => {
    const csv = [
      'slug,category,name_ru,name_en,description_ru,description_en,price,stock,active,tags',
      'lavender-latte,coffee,Лавандовый латте,Lavender latte,Сезонный,Seasonal,"310,00",40,yes,hot;seasonal',
      'bad-price,coffee,Плохая цена,Bad price,,,abc,1,yes,',
      'bad-category,teapots,Чайник,Teapot,,,100,1,yes,',
      'americano,coffee,Американо,Americano,Двойной эспрессо с водой.,Espresso and water.,180.00,,yes,hot',
      'BAD SLUG,coffee,Х,X,,,100,1,maybe,',
      'lavender-latte,coffee,Дубль,Duplicate,,,100,1,yes,',
    ].join('\n')
    const result = await importProductsCsv(services.staff(OWNER), csv)
    expect(result).toMatchObject({ created: 1, updated: 1, failed: 4 })
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { row: 3, field: 'price', message: 'not a price: "abc"' },
        { row: 4, field: 'category', message: 'unknown category "teapots"' },
        expect.objectContaining({ row: 6, field: 'active' }),
        expect.objectContaining({ row: 7, field: 'slug', message: 'repeated in this file' }),
      ]),
    )
    expect(await product('lavender-latte')).toMatchObject({ priceMinor: 31000, stock: 40, tags: ['hot', 'seasonal'], attributes: [] })
    const americano = await product('americano')
    // Updated price; stock and the attributes the CSV does not carry are kept.
    expect(americano).toMatchObject({ priceMinor: 18000, stock: 500, tags: ['hot'], attributes: [{ key: 'volume', name: { ru: 'Объём', en: 'Volume' }, value: { ru: '300 мл', en: '300 ml' } }] })
    expect(await product('bad-price')).toBeUndefined()
    // Each changed product is its own audit entry, with before and after.
    const entries = (await listAudit(handle.db, { action: 'product.import', limit: 50 })).items
    expect(entries).toHaveLength(2)
    const americanoEntry = entries.find((e) => e.entityId === String(americano!.id))!
    expect(americanoEntry).toMatchObject({ actorId: OWNER, before: { priceMinor: 17000 }, after: { priceMinor: 18000 } })
    expect(entries.find((e) => e.entityId !== String(americano!.id))).toMatchObject({ before: null, after: { slug: 'lavender-latte', priceMinor: 31000 } })
  })

  it('exports every product, hidden ones too, in a file the importer reads back unchanged', async () => {
    await handle.db.update(products).set({ isActive: false }).where(eq(products.slug, 'sencha'))
    const csv = await exportProductsCsv(handle.db)
    const table = parseCsv(csv)
    expect(table[0]).toEqual(['slug', 'category', 'name_ru', 'name_en', 'description_ru', 'description_en', 'price', 'compare_at_price', 'currency', 'stock', 'active', 'tags', 'images'])
    expect(table.find((r) => r[0] === 'sencha')?.[10]).toBe('no')
    const before = await handle.db.select().from(products)
    const auditedBefore = (await listAudit(handle.db, { action: 'product.import', limit: 200 })).items.length
    const again = await importProductsCsv(services.staff(OWNER), csv)
    expect(again).toMatchObject({ created: 0, failed: 0, updated: before.length })
    // Nothing changed, so nothing new in the audit log.
    expect((await listAudit(handle.db, { action: 'product.import', limit: 200 })).items).toHaveLength(auditedBefore)
    const after = await handle.db.select().from(products)
    const strip = (rows: typeof before) => rows.map(({ updatedAt: _u, ...rest }) => rest).sort((a, b) => a.id - b.id)
    expect(strip(after)).toEqual(strip(before))
  })

  it('keeps attributes and the option values that change them consistent, whichever of the two is edited', async () => {
    const cappuccino = (await product('cappuccino'))!
    const size = cappuccino.options.find((o) => o.key === 'size')!
    expect(size.values.map((v) => v.attributes?.[0]?.value.ru)).toEqual(['250 мл', '300 мл', '400 мл'])
    // Dropping the volume fact while the sizes still set it is refused, and so is a size setting a fact the product lacks.
    await expect(updateProduct(services.staff(OWNER), cappuccino.id, { attributes: [] })).rejects.toMatchObject({ code: 'validation_failed' })
    const unknown = cappuccino.options.map((o) => (o.key === 'size' ? { ...o, values: o.values.map((v) => ({ ...v, attributes: [{ key: 'height', value: { ru: '10 см', en: '10 cm' } }] })) } : o))
    await expect(updateProduct(services.staff(OWNER), cappuccino.id, { options: unknown })).rejects.toMatchObject({ code: 'validation_failed' })
    // Renaming the fact in both languages is fine and the sizes keep setting it.
    const renamed = [{ key: 'volume', name: { ru: 'Объём напитка', en: 'Drink size' }, value: { ru: '300 мл', en: '300 ml' } }]
    const after = await updateProduct(services.staff(OWNER), cappuccino.id, { attributes: renamed })
    expect(after.attributes).toEqual(renamed)
  })

  it('adjusts stock without ever going below zero', async () => {
    const { id } = (await product('hario-v60'))!
    expect(await adjustStock(services.staff(OWNER), id, 5, 'delivery')).toEqual({ before: 8, after: 13 })
    await expect(adjustStock(services.staff(OWNER), id, -20, 'write-off')).rejects.toMatchObject({ code: 'insufficient_stock' })
    expect((await product('hario-v60'))!.stock).toBe(13)
  })
})

describe('PATCH schemas', () => {
  it('change only the fields sent: no defaults fill in the rest', async () => {
    const { ProductPatchSchema, CategoryPatchSchema } = await import('../../../../shared/schemas/catalog')
    expect(ProductPatchSchema.parse({ isActive: false })).toEqual({ isActive: false })
    expect(ProductPatchSchema.parse({ priceMinor: 25000 })).toEqual({ priceMinor: 25000 })
    expect(CategoryPatchSchema.parse({ name: { ru: 'Кофе', en: 'Coffee' } })).toEqual({ name: { ru: 'Кофе', en: 'Coffee' } })
    expect(() => ProductPatchSchema.parse({})).toThrow()
  })

  it('refuse repeated attribute keys and option values that change an attribute the product lacks', async () => {
    const { ProductInputSchema } = await import('../../../../shared/schemas/catalog')
    const base = { slug: 'tea', categoryId: 1, name: { ru: 'Чай', en: 'Tea' }, description: { ru: '', en: '' }, priceMinor: 100 }
    const volume = { key: 'volume', name: { ru: 'Объём', en: 'Volume' }, value: { ru: '300 мл', en: '300 ml' } }
    const sizes = (key: string) => [{ key: 'size', name: { ru: 'Размер', en: 'Size' }, values: [{ value: 'l', name: { ru: 'Большой', en: 'Large' }, priceDeltaMinor: 0, attributes: [{ key, value: { ru: '400 мл', en: '400 ml' } }] }] }]
    expect(ProductInputSchema.safeParse({ ...base, attributes: [volume], options: sizes('volume') }).success).toBe(true)
    const missing = ProductInputSchema.safeParse({ ...base, attributes: [volume], options: sizes('weight') })
    expect(missing.error?.issues.map((i) => i.path.join('.'))).toEqual(['options.0.values.0.attributes.0.key'])
    const twice = ProductInputSchema.safeParse({ ...base, attributes: [volume, volume] })
    expect(twice.error?.issues.map((i) => i.path.join('.'))).toEqual(['attributes.1.key'])
    expect(ProductInputSchema.safeParse({ ...base, attributes: [{ ...volume, value: { ru: '300 мл', en: '' } }] }).success).toBe(false)
  })
})
