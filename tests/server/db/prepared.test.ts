import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../server/db/client'
import { preparedPer } from '../../../server/db/prepared'
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
})
