import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPglite, openPostgres, type DatabaseHandle } from '../../../server/db/client'
import { createPostgresDatabase, engine } from '../../helpers/db'

/**
 * An installation from before localized attributes: products with `{"volume": "300 ml", "milk": [...],
 * "tags": [...]}` attributes, upgraded by the migrations that follow (0007 and 0008).
 */
const rows = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows)
const LAST_OLD_MIGRATION = '0006_telegram_shipping'

let handle: DatabaseHandle
let dropDatabase: (() => Promise<void>) | undefined
let oldFolder: string

beforeAll(async () => {
  // The migrations folder as it was: the journal cut after the last migration before this change.
  const folder = resolve(import.meta.dirname, '../../../drizzle')
  oldFolder = mkdtempSync(join(tmpdir(), 'old-migrations-'))
  cpSync(folder, oldFolder, { recursive: true })
  const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] }
  journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === LAST_OLD_MIGRATION) + 1)
  writeFileSync(join(oldFolder, 'meta/_journal.json'), JSON.stringify(journal))

  if (engine === 'postgres') {
    const created = await createPostgresDatabase()
    dropDatabase = created.drop
    handle = await openPostgres(created.url, { max: 4 })
  } else {
    handle = await openPglite()
  }
  process.env.MIGRATIONS_DIR = oldFolder
  try {
    await handle.migrate()
  } finally {
    delete process.env.MIGRATIONS_DIR
  }
}, 120_000)
afterAll(async () => {
  await handle?.close()
  await dropDatabase?.()
  rmSync(oldFolder, { recursive: true, force: true })
})

describe(`upgrading product attributes on ${engine}`, () => {
  it('turns English-only attributes into facts in both languages, tags into their own column, sizes into volumes', async () => {
    await handle.db.execute(sql`insert into categories (slug, name) values ('coffee', '{"ru":"Кофе","en":"Coffee"}')`)
    const options = [
      { key: 'milk', name: { ru: 'Молоко', en: 'Milk' }, required: false, values: [{ value: 'cow', name: { ru: 'Коровье', en: 'Whole milk' }, priceDeltaMinor: 0 }] },
      {
        key: 'size',
        name: { ru: 'Объём', en: 'Size' },
        required: false,
        values: [
          { value: 's', name: { ru: '250 мл', en: '250 ml' }, priceDeltaMinor: -3000 },
          { value: 'l', name: { ru: '400 мл', en: '400 ml' }, priceDeltaMinor: 5000 },
        ],
      },
    ]
    const insert = (slug: string, attributes: object, productOptions: object[] = []) =>
      handle.db.execute(
        sql`insert into products (slug, category_id, name, description, price_minor, attributes, options)
            values (${slug}, (select id from categories where slug = 'coffee'), '{"ru":"Т","en":"T"}', '{"ru":"","en":""}', 100, ${JSON.stringify(attributes)}::jsonb, ${JSON.stringify(productOptions)}::jsonb)`,
      )
    await insert('cappuccino', { volume: '300 ml', milk: ['cow', 'oat'], tags: ['hot', 'bestseller'] }, options)
    await insert('beans', { weight: '250 g', roast: 'light', process: 'sugarcane decaf', origin_farm: 'Finca X', tags: ['filter'] })
    await insert('plain', {})

    await handle.migrate()

    const products = Object.fromEntries(
      rows<{ slug: string; attributes: unknown; tags: unknown; options: { key: string; values: { attributes?: unknown }[] }[] }>(
        await handle.db.execute(sql`select slug, attributes, tags, options from products`),
      ).map((p) => [p.slug, p]),
    )
    // The milk attribute repeated the milk option: the option shows it, translated.
    expect(products.cappuccino!.attributes).toEqual([{ key: 'volume', name: { ru: 'Объём', en: 'Volume' }, value: { ru: '300 мл', en: '300 ml' } }])
    expect(products.cappuccino!.tags).toEqual(['hot', 'bestseller'])
    const size = products.cappuccino!.options.find((o) => o.key === 'size')!
    expect(size.values.map((v) => v.attributes)).toEqual([
      [{ key: 'volume', value: { ru: '250 мл', en: '250 ml' } }],
      [{ key: 'volume', value: { ru: '400 мл', en: '400 ml' } }],
    ])
    expect(products.cappuccino!.options.find((o) => o.key === 'milk')!.values[0]!.attributes).toBeUndefined()

    expect(products.beans!.tags).toEqual(['filter'])
    expect(products.beans!.attributes).toEqual(
      expect.arrayContaining([
        { key: 'weight', name: { ru: 'Вес', en: 'Weight' }, value: { ru: '250 г', en: '250 g' } },
        { key: 'roast', name: { ru: 'Обжарка', en: 'Roast' }, value: { ru: 'светлая', en: 'light' } },
        { key: 'process', name: { ru: 'Обработка', en: 'Process' }, value: { ru: 'декаф (сахарный тростник)', en: 'sugarcane decaf' } },
        // Unknown to the migration: the same text in both languages, for the owner to translate in /admin.
        { key: 'origin_farm', name: { ru: 'origin_farm', en: 'Origin Farm' }, value: { ru: 'Finca X', en: 'Finca X' } },
      ]),
    )
    expect(products.plain).toMatchObject({ attributes: [], tags: [] })
  })
})
