import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { demoImagesFromFolder } from '../../../../server/services/demo/images'
import { isDatabaseEmpty, removeSandboxStaffRoles, seedDemoData } from '../../../../server/services/demo/seed'
import { createFileStore, detectImageType } from '../../../../server/services/files'
import { createTestDatabase, engine } from '../../../helpers/db'

let handle: DatabaseHandle
let dataDir: string
beforeAll(async () => {
  handle = await createTestDatabase()
  dataDir = mkdtempSync(join(tmpdir(), 'seed-files-'))
})
afterAll(async () => {
  await handle?.close()
  rmSync(dataDir, { recursive: true, force: true })
})
const images = () => ({ files: createFileStore(dataDir), read: demoImagesFromFolder() })
const storedFiles = () => readdirSync(join(dataDir, 'files/products'))

const rows = async <T>(query: ReturnType<typeof sql>) => {
  const result = await handle.db.execute(query)
  return (Array.isArray(result) ? result : (result as unknown as { rows: T[] }).rows) as T[]
}
const count = async (table: string) => {
  const result = await handle.db.execute(sql.raw(`select count(*)::int as n from ${table}`))
  return (Array.isArray(result) ? result : (result as unknown as { rows: { n: number }[] }).rows)[0]!.n as number
}

describe(`demo data on ${engine}`, () => {
  it('fills an empty database with a believable coffee shop in Russian and English', async () => {
    expect(await isDatabaseEmpty(handle.db)).toBe(true)
    await seedDemoData(handle.db, { people: true, images: images() })
    expect(await isDatabaseEmpty(handle.db)).toBe(false)
    expect(await count('categories')).toBeGreaterThanOrEqual(5)
    expect(await count('products')).toBeGreaterThanOrEqual(20)
    expect(await count('booking_services')).toBeGreaterThanOrEqual(3)
    const result = await handle.db.execute(sql`select name->>'ru' as ru, name->>'en' as en, price_minor from products where slug = 'cappuccino'`)
    const row = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows)[0]
    expect(row).toEqual({ ru: 'Капучино', en: 'Cappuccino', price_minor: 22000 })
    const roles = await handle.db.execute(sql`select role from user_roles order by role`)
    expect((Array.isArray(roles) ? roles : (roles as unknown as { rows: unknown[] }).rows).map((r) => (r as { role: string }).role)).toEqual(['operator', 'owner', 'staff'])
    // Every grant is evidence, whatever the path: one audit entry per role the seed gave.
    const grants = await rows<{ entity_id: string; role: string }>(sql`select entity_id, after->>'role' as role from audit_entries where action = 'role.grant' and actor_via = 'system' order by entity_id`)
    expect(grants).toEqual([
      { entity_id: '9000000010', role: 'operator' },
      { entity_id: '9000000020', role: 'staff' },
      { entity_id: '9000000099', role: 'owner' },
    ])
  })

  it('is idempotent and never overwrites what an operator changed', async () => {
    await handle.db.execute(sql`update products set price_minor = 25000 where slug = 'cappuccino'`)
    const before = { products: await count('products'), categories: await count('categories'), users: await count('users') }
    await seedDemoData(handle.db, { people: true, images: images() })
    expect(storedFiles()).toHaveLength(before.products) // no second copy of any picture
    expect({ products: await count('products'), categories: await count('categories'), users: await count('users') }).toEqual(before)
    const result = await handle.db.execute(sql`select price_minor from products where slug = 'cappuccino'`)
    expect((Array.isArray(result) ? result : (result as unknown as { rows: { price_minor: number }[] }).rows)[0]!.price_minor).toBe(25000)
  })

  it('gives every product its own picture, stored through the files service like an upload', async () => {
    const result = await handle.db.execute(sql`select slug, images from products order by slug`)
    const products = (Array.isArray(result) ? result : (result as unknown as { rows: { slug: string; images: string[] }[] }).rows) as { slug: string; images: string[] }[]
    const pictures = products.map((p) => p.images[0])
    expect(pictures.every((path) => /^\/files\/products\/[0-9a-f-]+\.webp$/.test(path ?? ''))).toBe(true)
    expect(new Set(pictures).size).toBe(products.length)
    const store = createFileStore(dataDir)
    for (const path of pictures) {
      const file = await store.read(path!)
      expect(file?.type).toBe('image/webp')
      expect(detectImageType(file!.bytes)?.ext).toBe('webp')
    }
  })

  it('replaces the old stock category picture of an untouched demo product, and nothing an owner chose', async () => {
    await handle.db.execute(sql`update products set images = '["/demo/coffee.svg"]' where slug = 'americano'`)
    await handle.db.execute(sql`update products set images = '["/demo/coffee.svg", "/files/products/mine.webp"]' where slug = 'flat-white'`)
    await handle.db.execute(sql`update products set images = '["/files/products/owner-photo.jpg"]' where slug = 'cocoa'`)
    await seedDemoData(handle.db, { people: true, images: images() })
    const result = await handle.db.execute(sql`select slug, images from products where slug in ('americano', 'flat-white', 'cocoa') order by slug`)
    const rows = (Array.isArray(result) ? result : (result as unknown as { rows: { slug: string; images: string[] }[] }).rows) as { slug: string; images: string[] }[]
    const bySlug = Object.fromEntries(rows.map((r) => [r.slug, r.images]))
    expect(bySlug.americano).toEqual([expect.stringMatching(/^\/files\/products\/.+\.webp$/)])
    expect(bySlug['flat-white']).toEqual([expect.stringMatching(/^\/files\/products\/.+\.webp$/), '/files/products/mine.webp'])
    expect(bySlug.cocoa).toEqual(['/files/products/owner-photo.jpg'])
  })
})

describe(`demo data with a real bot on ${engine}`, () => {
  let real: DatabaseHandle
  beforeAll(async () => {
    real = await createTestDatabase()
  })
  afterAll(() => real?.close())
  const realRows = async <T>(query: ReturnType<typeof sql>) => {
    const result = await real.db.execute(query)
    return (Array.isArray(result) ? result : (result as unknown as { rows: T[] }).rows) as T[]
  }

  it('writes the catalog but no demo people and no roles (npm run db:seed with a token, DEMO_DATA=1)', async () => {
    await seedDemoData(real.db, { people: false })
    expect(await realRows(sql`select 1 from products`)).not.toHaveLength(0)
    expect(await realRows(sql`select telegram_id from users`)).toEqual([])
    expect(await realRows(sql`select role from user_roles`)).toEqual([])
  })

  it('takes the seeded staff roles away from the demo people once a real bot is configured, audited, keeping ADMIN_TELEGRAM_IDS', async () => {
    await seedDemoData(real.db, { people: true }) // the database ran as a sandbox first
    expect(await removeSandboxStaffRoles(real.db, [9_000_000_020])).toBe(2)
    expect(await realRows(sql`select telegram_id::text as id, role from user_roles`)).toEqual([{ id: '9000000020', role: 'staff' }])
    const revoked = await realRows<{ entity_id: string }>(sql`select entity_id from audit_entries where action = 'role.revoke' order by entity_id`)
    expect(revoked.map((r) => r.entity_id)).toEqual(['9000000010', '9000000099'])
    expect(await removeSandboxStaffRoles(real.db, [])).toBe(1)
    expect(await removeSandboxStaffRoles(real.db, [])).toBe(0)
  })
})
