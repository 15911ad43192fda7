import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../server/db/client'
import { preparedPer, preparedStatement } from '../../../server/db/prepared'
import { rowsOf } from '../../../server/db/results'
import { users } from '../../../server/db/schema'
import { createTestDatabase, engine } from '../../helpers/db'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await createTestDatabase()
})
afterAll(async () => {
  await handle?.close()
})

describe(`queries built once per database (${engine})`, () => {
  let builds = 0
  const userById = preparedPer((db) => {
    builds++
    return db.select({ id: users.telegramId, name: users.firstName }).from(users).where(eq(users.telegramId, sql.placeholder('id'))).prepare('test_user_by_id')
  })

  it('builds a query once for the database and runs it with each call\'s values, seeing later writes', async () => {
    await handle.db.insert(users).values([{ telegramId: 9_100_001, firstName: 'Анна' }, { telegramId: 9_100_002, firstName: 'Борис' }])
    const before = builds
    expect(await userById(handle.db).execute({ id: 9_100_001 })).toEqual([{ id: 9_100_001, name: 'Анна' }])
    expect(await userById(handle.db).execute({ id: 9_100_002 })).toEqual([{ id: 9_100_002, name: 'Борис' }])
    await handle.db.update(users).set({ firstName: 'Анна-Мария' }).where(eq(users.telegramId, 9_100_001))
    expect(await userById(handle.db).execute({ id: 9_100_001 })).toEqual([{ id: 9_100_001, name: 'Анна-Мария' }])
    expect(await userById(handle.db).execute({ id: 9_100_999 })).toEqual([])
    expect(builds - before).toBe(1)
  })

  it('runs on the transaction inside one: its own uncommitted rows are seen there, and gone after a rollback', async () => {
    await handle.db.transaction(async (tx) => {
      await tx.insert(users).values({ telegramId: 9_100_003, firstName: 'Вера' })
      expect(await userById(tx).execute({ id: 9_100_003 })).toEqual([{ id: 9_100_003, name: 'Вера' }])
      tx.rollback()
    }).catch((error: unknown) => {
      if (!String((error as Error).message).includes('Rollback')) throw error
    })
    expect(await userById(handle.db).execute({ id: 9_100_003 })).toEqual([])
  })

  it('runs a hand-written statement built once with each call\'s values, on the database and on a transaction', async () => {
    const rename = preparedStatement('test_rename_user', sql`update users set first_name = ${sql.placeholder('name')}
      where telegram_id = any(string_to_array(${sql.placeholder('ids')}, ',')::bigint[]) returning telegram_id::int as id, first_name as name`)
    await handle.db.insert(users).values([{ telegramId: 9_100_011, firstName: 'Галя' }, { telegramId: 9_100_012, firstName: 'Дима' }])
    expect(rowsOf(await rename(handle.db).execute({ name: 'Ж', ids: '9100011' }))).toEqual([{ id: 9_100_011, name: 'Ж' }])
    expect(rowsOf(await rename(handle.db).execute({ name: 'З', ids: '9100011,9100012' })).length).toBe(2)
    expect(rowsOf(await rename(handle.db).execute({ name: 'И', ids: '' }))).toEqual([])
    await handle.db.transaction(async (tx) => {
      expect(rowsOf(await rename(tx).execute({ name: 'К', ids: '9100012' }))).toEqual([{ id: 9_100_012, name: 'К' }])
    })
    const names = await handle.db.select({ name: users.firstName }).from(users).where(eq(users.telegramId, 9_100_012))
    expect(names).toEqual([{ name: 'К' }])
  })
})
