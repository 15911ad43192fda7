import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../server/db/client'
import { createTestDatabase, engine } from '../../helpers/db'

const rows = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows)

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await createTestDatabase()
})
afterAll(() => handle?.close())

describe(`migrations on ${engine}`, () => {
  it('applies every generated migration, and applying again changes nothing', async () => {
    const journal = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../drizzle/meta/_journal.json'), 'utf8')) as { entries: unknown[] }
    const applied = rows<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`))
    expect(applied[0]!.n).toBe(journal.entries.length)
    await handle.migrate()
    const again = rows<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`))
    expect(again[0]!.n).toBe(journal.entries.length)
  })

  it('installs btree_gist and pg_trgm', async () => {
    const ext = rows<{ extname: string }>(await handle.db.execute(sql`select extname from pg_extension order by extname`)).map((r) => r.extname)
    expect(ext).toEqual(expect.arrayContaining(['btree_gist', 'pg_trgm']))
  })

  it('enforces the constraints the schema promises', async () => {
    await expect(handle.db.execute(sql`insert into telegram_updates (update_id, kind, payload, status) values (1, 'message', '{}', 'weird')`)).rejects.toThrow()
    await expect(handle.db.execute(sql`insert into user_roles (telegram_id, role) values (999, 'owner')`)).rejects.toThrow()
    await handle.db.execute(sql`insert into categories (slug, name) values ('c', '{"ru":"К","en":"C"}')`)
    const [category] = rows<{ id: number }>(await handle.db.execute(sql`select id from categories where slug = 'c'`))
    await expect(
      handle.db.execute(sql`insert into products (slug, category_id, name, description, price_minor, stock) values ('p', ${category!.id}, '{"ru":"п","en":"p"}', '{"ru":"","en":""}', 100, -1)`),
    ).rejects.toThrow()
  })

  it('builds a search vector that understands Russian and English word forms', async () => {
    await handle.db.execute(sql`insert into categories (slug, name) values ('drinks', '{"ru":"Напитки","en":"Drinks"}') on conflict do nothing`)
    const [category] = rows<{ id: number }>(await handle.db.execute(sql`select id from categories where slug = 'drinks'`))
    await handle.db.execute(
      sql`insert into products (slug, category_id, name, description, price_minor) values ('raf', ${category!.id}, '{"ru":"Раф ванильный","en":"Vanilla raf"}', '{"ru":"Сливки и ваниль","en":"Cream and vanilla"}', 29000)`,
    )
    const match = async (query: string) =>
      rows<{ slug: string }>(await handle.db.execute(sql`select slug from products where search @@ (websearch_to_tsquery('russian', ${query}) || websearch_to_tsquery('english', ${query}))`)).map((r) => r.slug)
    expect(await match('ванильного')).toEqual(['raf'])
    expect(await match('сливками')).toEqual(['raf'])
    expect(await match('creams')).toEqual(['raf'])
    expect(await match('чай')).toEqual([])
  })
})
