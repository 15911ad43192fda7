import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { isDatabaseEmpty, seedDemoData } from '../../../../server/services/demo/seed'
import { createTestDatabase, engine } from '../../../helpers/db'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await createTestDatabase()
})
afterAll(() => handle?.close())

const count = async (table: string) => {
  const result = await handle.db.execute(sql.raw(`select count(*)::int as n from ${table}`))
  return (Array.isArray(result) ? result : (result as unknown as { rows: { n: number }[] }).rows)[0]!.n as number
}

describe(`demo data on ${engine}`, () => {
  it('fills an empty database with a believable coffee shop in Russian and English', async () => {
    expect(await isDatabaseEmpty(handle.db)).toBe(true)
    await seedDemoData(handle.db)
    expect(await isDatabaseEmpty(handle.db)).toBe(false)
    expect(await count('categories')).toBeGreaterThanOrEqual(5)
    expect(await count('products')).toBeGreaterThanOrEqual(20)
    expect(await count('booking_services')).toBeGreaterThanOrEqual(3)
    const result = await handle.db.execute(sql`select name->>'ru' as ru, name->>'en' as en, price_minor from products where slug = 'cappuccino'`)
    const row = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows)[0]
    expect(row).toEqual({ ru: 'Капучино', en: 'Cappuccino', price_minor: 22000 })
    const roles = await handle.db.execute(sql`select role from user_roles order by role`)
    expect((Array.isArray(roles) ? roles : (roles as unknown as { rows: unknown[] }).rows).map((r) => (r as { role: string }).role)).toEqual(['operator', 'owner', 'staff'])
  })

  it('is idempotent and never overwrites what an operator changed', async () => {
    await handle.db.execute(sql`update products set price_minor = 25000 where slug = 'cappuccino'`)
    const before = { products: await count('products'), categories: await count('categories'), users: await count('users') }
    await seedDemoData(handle.db)
    expect({ products: await count('products'), categories: await count('categories'), users: await count('users') }).toEqual(before)
    const result = await handle.db.execute(sql`select price_minor from products where slug = 'cappuccino'`)
    expect((Array.isArray(result) ? result : (result as unknown as { rows: { price_minor: number }[] }).rows)[0]!.price_minor).toBe(25000)
  })
})
