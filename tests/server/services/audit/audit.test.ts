import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { auditEntries, users } from '../../../../server/db/schema'
import { exportAuditCsv, listAudit, recordAudit } from '../../../../server/services/audit'
import { createTestDatabase, engine } from '../../../helpers/db'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await createTestDatabase()
})
afterAll(async () => {
  await handle?.close()
})

const entry = (action: string, extra: Partial<Parameters<typeof recordAudit>[1]> = {}) => ({
  actorId: 1001,
  actorVia: 'session' as const,
  action,
  entityType: 'user',
  entityId: 2002,
  before: { roles: [] },
  after: { roles: ['staff'] },
  requestId: 'req-1',
  ip: '10.0.0.1',
  ...extra,
})

/** The database's own message (Drizzle wraps it as the `cause`). */
async function databaseRefusal(query: Promise<unknown>): Promise<string> {
  try {
    await query
  } catch (error) {
    return String(((error as { cause?: Error }).cause ?? (error as Error)).message)
  }
  return 'no error'
}

const count = async () => (await handle.db.select({ n: sql<number>`count(*)::int` }).from(auditEntries))[0]!.n

describe(`audit log (${engine})`, () => {
  it('is written with the change: a rolled-back change leaves no audit row, a committed one leaves exactly one', async () => {
    const before = await count()
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.insert(users).values({ telegramId: 555, firstName: 'Rolled back' })
        await recordAudit(tx, entry('test.rollback'))
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    expect(await count()).toBe(before)

    await handle.db.transaction(async (tx) => {
      await tx.insert(users).values({ telegramId: 556, firstName: 'Committed' })
      await recordAudit(tx, entry('test.commit'))
    })
    expect(await count()).toBe(before + 1)
    const [row] = (await listAudit(handle.db, { action: 'test.commit', limit: 10 })).items
    expect(row).toMatchObject({ actorId: 1001, actorVia: 'session', entityType: 'user', entityId: '2002', before: { roles: [] }, after: { roles: ['staff'] }, requestId: 'req-1', ip: '10.0.0.1' })
  })

  it('refuses UPDATE, DELETE and TRUNCATE at the database level', async () => {
    await recordAudit(handle.db, entry('test.immutable'))
    expect(await databaseRefusal(handle.db.execute(sql`update audit_entries set action = 'forged'`))).toMatch(/append-only: UPDATE/)
    expect(await databaseRefusal(handle.db.execute(sql`delete from audit_entries`))).toMatch(/append-only: DELETE/)
    expect(await databaseRefusal(handle.db.execute(sql`truncate audit_entries`))).toMatch(/append-only: TRUNCATE/)
    const page = await listAudit(handle.db, { action: 'test.immutable', limit: 10 })
    expect(page.items).toHaveLength(1)
    expect(await listAudit(handle.db, { action: 'forged', limit: 10 })).toEqual({ items: [], nextCursor: null })
  })

  it('filters by actor, entity, action and dates, and pages with a stable cursor', async () => {
    for (let i = 0; i < 7; i++) await recordAudit(handle.db, entry('test.page', { actorId: 3000 + (i % 2), entityId: i }))
    const first = await listAudit(handle.db, { action: 'test.page', limit: 3 })
    expect(first.items.map((i) => i.entityId)).toEqual(['6', '5', '4'])
    const second = await listAudit(handle.db, { action: 'test.page', limit: 3, cursor: first.nextCursor! })
    expect(second.items.map((i) => i.entityId)).toEqual(['3', '2', '1'])
    const third = await listAudit(handle.db, { action: 'test.page', limit: 3, cursor: second.nextCursor! })
    expect(third).toMatchObject({ nextCursor: null })
    expect(third.items.map((i) => i.entityId)).toEqual(['0'])

    expect((await listAudit(handle.db, { action: 'test.page', actor: 3001, limit: 50 })).items).toHaveLength(3)
    expect((await listAudit(handle.db, { entityType: 'user', entityId: '5', action: 'test.page', limit: 50 })).items).toHaveLength(1)
    expect((await listAudit(handle.db, { action: 'test.page', from: new Date(Date.now() + 60_000), limit: 50 })).items).toHaveLength(0)
    expect((await listAudit(handle.db, { action: 'test.page', to: new Date(Date.now() - 3600_000), limit: 50 })).items).toHaveLength(0)
  })

  it('exports CSV with quoted JSON and neutralised formulas', async () => {
    await recordAudit(handle.db, entry('test.csv', { entityId: '=HYPERLINK("x")', after: { note: 'a, "b"\nc' } }))
    const csv = await exportAuditCsv(handle.db, { action: 'test.csv' })
    const [header, line] = csv.trim().split('\r\n')
    expect(header).toBe('id,createdAt,actorId,actorVia,action,entityType,entityId,before,after,requestId,ip')
    expect(line).toContain(`"'=HYPERLINK(""x"")"`)
    expect(line).toContain('"{""note"":""a, \\""b\\""\\nc""}"')
  })
})
