import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { recordAudit } from '../../../../server/services/audit'
import { GENESIS_HASH, verifyAuditChain } from '../../../../server/services/audit/chain'
import { createPostgresDatabase, createTestDatabase, engine } from '../../../helpers/db'

const root = resolve(import.meta.dirname, '../../../..')

const entry = (n: number) => ({ actorId: 1001, actorVia: 'session' as const, action: 'product.update', entityType: 'product', entityId: n, before: { priceMinor: 100 * n }, after: { priceMinor: 100 * n + 50, note: 'Цена ✓' }, requestId: `req-${n}`, ip: '10.0.0.1' })
const rowsOf = <T>(result: unknown) => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[]

describe(`audit hash chain (${engine})`, () => {
  let handle: DatabaseHandle
  beforeAll(async () => {
    handle = await createTestDatabase()
  })
  afterAll(() => handle?.close())

  it('links every entry to the one before, in a line, even when transactions insert at the same time', async () => {
    expect(await verifyAuditChain(handle.db)).toEqual({ ok: true, entries: 0, headHash: GENESIS_HASH, brokenAt: null })
    // Twenty transactions at once (real concurrency on PostgreSQL), each with two entries.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        handle.db.transaction(async (tx) => {
          await recordAudit(tx, entry(i * 2 + 1))
          await recordAudit(tx, entry(i * 2 + 2))
        }),
      ),
    )
    const status = await verifyAuditChain(handle.db)
    expect(status).toMatchObject({ ok: true, entries: 40, brokenAt: null })
    expect(status.headHash).toMatch(/^[0-9a-f]{64}$/)
    const links = rowsOf<{ chain_seq: string; prev_hash: string; hash: string }>(await handle.db.execute(sql`select chain_seq::text as seq_text, chain_seq, prev_hash, hash from audit_entries order by audit_entries.chain_seq`))
    expect(links.map((l) => Number(l.chain_seq))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    expect(links[0]!.prev_hash).toBe(GENESIS_HASH)
    for (let i = 1; i < links.length; i++) expect(links[i]!.prev_hash).toBe(links[i - 1]!.hash)
  })

  it('detects a row changed behind the app’s back with the triggers off (session_replication_role = replica)', async () => {
    const [victim] = rowsOf<{ id: string; chain_seq: string }>(await handle.db.execute(sql`select id::text, chain_seq::text from audit_entries where chain_seq = 7`))
    // What the table's owner can do today despite the append-only triggers.
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`)
      await tx.execute(sql`update audit_entries set after = '{"priceMinor": 1}'::jsonb where chain_seq = 7`)
    })
    expect(await verifyAuditChain(handle.db)).toEqual({ ok: false, entries: 6, headHash: null, brokenAt: { seq: 7, entryId: Number(victim!.id), reason: 'content changed after it was written' } })
  })
})

describe(`audit hash chain tampering, more ways (${engine})`, () => {
  let handle: DatabaseHandle
  beforeAll(async () => {
    handle = await createTestDatabase()
    for (let n = 1; n <= 5; n++) await recordAudit(handle.db, entry(n))
  })
  afterAll(() => handle?.close())

  it('detects a deleted entry in the middle and at the end, and a rewritten hash', async () => {
    const tamper = (statement: ReturnType<typeof sql>) =>
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_entries disable trigger audit_entries_no_update_delete`)
        await tx.execute(statement)
        await tx.execute(sql`alter table audit_entries enable trigger audit_entries_no_update_delete`)
      })
    // The last one: the remaining chain is consistent in itself, but shorter than its head says.
    await tamper(sql`delete from audit_entries where chain_seq = 5`)
    expect((await verifyAuditChain(handle.db)).brokenAt).toMatchObject({ seq: 5, reason: 'the head says 5 links, the table holds 4' })
    // Recomputing one row's hash to match new content breaks the next link instead.
    await tamper(sql`update audit_entries set action = 'nothing.happened', hash = encode(sha256(convert_to('x', 'UTF8')), 'hex') where chain_seq = 2`)
    expect((await verifyAuditChain(handle.db)).brokenAt).toMatchObject({ seq: 2, reason: 'content changed after it was written' })
    await tamper(sql`delete from audit_entries where chain_seq = 3`)
    expect((await verifyAuditChain(handle.db)).brokenAt).toMatchObject({ seq: 2 })
  })
})

describe.runIf(engine === 'postgres')('npm run audit:verify', () => {
  it('exits 0 with the head hash on an intact chain and 2 naming the broken link', async () => {
    const database = await createPostgresDatabase()
    const handle = await (await import('../../../../server/db/client')).openPostgres(database.url)
    try {
      await handle.migrate()
      for (let n = 1; n <= 3; n++) await recordAudit(handle.db, entry(n))
      const run = () => {
        try {
          return { code: 0, out: execFileSync(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'server/cli/audit-verify.ts'], { cwd: root, env: { PATH: process.env.PATH!, DATABASE_URL: database.url }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) }
        } catch (error) {
          const e = error as { status: number; stderr: string }
          return { code: e.status, out: e.stderr }
        }
      }
      const intact = run()
      expect(intact.code).toBe(0)
      expect(intact.out).toMatch(/^audit chain intact: 3 entries, head [0-9a-f]{64}$/m)
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`)
        await tx.execute(sql`update audit_entries set actor_id = 666 where chain_seq = 2`)
      })
      const broken = run()
      expect(broken.code).toBe(2)
      expect(broken.out).toContain('audit chain BROKEN at link 2')
    } finally {
      await handle.close()
      await database.drop()
    }
  }, 60_000)
})
