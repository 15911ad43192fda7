import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPglite, openPostgres, type DatabaseHandle } from '../../../../server/db/client'
import { rowsOf } from '../../../../server/db/results'
import { pickupPoints, products, users } from '../../../../server/db/schema'
import { jobWorkers } from '../../../../server/jobs'
import { jobDefinitions } from '../../../../server/jobs/definitions'
import { verifyAuditChain } from '../../../../server/services/audit/chain'
import { packBackup, unpackBackup } from '../../../../server/services/backup/archive'
import { createBackup, listTables, readTableRows } from '../../../../server/services/backup/dump'
import { jobRestorer } from '../../../../server/services/backup/jobs-restore'
import { restoreBackup } from '../../../../server/services/backup/restore'
import { addToCart } from '../../../../server/services/cart'
import { demoImagesFromFolder } from '../../../../server/services/demo/images'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { createFileStore } from '../../../../server/services/files'
import { changeOrderStatusAsStaff, createOrder } from '../../../../server/services/orders'
import { createLogger } from '../../../../server/utils/logger'
import { CheckoutSchema } from '../../../../shared/schemas/orders'
import { createPostgresDatabase, createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

const silent = createLogger({ level: 'silent' })
const definitions = jobWorkers.map((w) => w.definition)
const tempDir = () => mkdtempSync(join(tmpdir(), 'tma-backup-test-'))

/** A business with something in every module the app has so far: catalog, files, people, carts, orders, audit, waiting jobs. */
async function fillBusiness(handle: DatabaseHandle, services: TestServices, dataDir: string) {
  await seedDemoData(handle.db, { people: true, images: { files: createFileStore(dataDir), read: demoImagesFromFolder() } })
  const pickupId = (await handle.db.select().from(pickupPoints))[0]!.id
  const [cappuccino] = await handle.db.select().from(products).where(eq(products.slug, 'cappuccino'))
  for (const id of [7001, 7002]) {
    await handle.db.insert(users).values({ telegramId: id, firstName: `Покупатель ${id}` }).onConflictDoNothing()
    await addToCart(handle.db, id, { productId: cappuccino!.id, options: { milk: 'oat' }, quantity: 2 })
    const checkout = CheckoutSchema.parse({ delivery: { method: 'pickup', pickupPointId: pickupId }, contact: { name: 'Мария', phone: '+7 900 123-45-67' }, paymentMethod: 'cash_on_delivery' })
    const { order } = await createOrder(services.customer(id), checkout, `backup-${id}`)
    if (id === 7001) await changeOrderStatusAsStaff(services.staff(9000000099, ['owner']), order.id, 'in_progress')
  }
  // A job planned for next week: a backup must carry it, or a restored shop forgets its reminders.
  await services.queue.boss.send('telegram.retry-update', { updateId: 424242 }, { startAfter: new Date(Date.now() + 7 * 24 * 3600_000) })
}

/** Every table's rows as text, in a stable order. */
async function everyRow(handle: DatabaseHandle) {
  const out: Record<string, string[]> = {}
  for (const table of await listTables(handle.db)) out[table.name] = await readTableRows(handle.db, table)
  return out
}

const waitingJobs = async (handle: DatabaseHandle) =>
  rowsOf<{ id: string; name: string; data: unknown }>(
    await handle.db.execute(sql`select id, name, data from pgboss.job where state in ('created', 'retry') and name = 'telegram.retry-update' order by id`),
  )

const files = (dir: string) => readdirSync(join(dir, 'files'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => [e.name, readFileSync(join(e.parentPath, e.name)).toString('base64')]).sort()

let source: DatabaseHandle
let services: TestServices
let sourceDir: string
let backup: Awaited<ReturnType<typeof createBackup>>

beforeAll(async () => {
  source = await createTestDatabase()
  services = await createTestServices(source)
  sourceDir = tempDir()
  await fillBusiness(source, services, sourceDir)
  backup = await createBackup(source, { dataDir: sourceDir, appVersion: 'test' })
}, 180_000)
afterAll(async () => {
  await services?.close()
  await source?.close()
  rmSync(sourceDir, { recursive: true, force: true })
})

describe(`backup and restore on ${engine}`, () => {
  it('writes one file whose manifest names the schema level, every table with its rows, the waiting jobs and the files', () => {
    const { manifest, lines } = unpackBackup(backup.bytes)
    expect(manifest).toMatchObject({ format: 'tma-platform-backup', engine: source.kind, appVersion: 'test', schema: { last: expect.stringMatching(/^\d{4}_/) } })
    expect(manifest.schema.migrations).toBeGreaterThan(5)
    expect(manifest.tables).toMatchObject({ orders: 2, users: expect.any(Number), audit_entries: expect.any(Number), products: expect.any(Number) })
    expect(Object.values(manifest.tables).filter((n) => n > 0).length).toBeGreaterThanOrEqual(15)
    expect(manifest.jobs).toBeGreaterThanOrEqual(1)
    expect(manifest.files.count).toBeGreaterThan(10)
    expect(lines.length).toBeGreaterThan(100)
  })

  it('restores into a database that already holds an app only when told to, and then every table is identical row by row', async () => {
    const target = await createTestDatabase()
    const targetDir = tempDir()
    try {
      await expect(restoreBackup(target, backup.bytes, { dataDir: targetDir })).rejects.toMatchObject({ reason: 'not_empty' })
      const result = await restoreBackup(target, backup.bytes, { force: true, dataDir: targetDir, restoreJobs: jobRestorer(target, definitions, silent) })
      expect(result.tables).toEqual(unpackBackup(backup.bytes).manifest.tables)
      expect(await everyRow(target)).toEqual(await everyRow(source))
      // The audit log is still evidence: the same chain, the same head hash, verified from scratch.
      const [before, after] = [await verifyAuditChain(source.db), await verifyAuditChain(target.db)]
      expect(after).toMatchObject({ ok: true, entries: before.entries, headHash: before.headHash })
      expect(files(targetDir)).toEqual(files(sourceDir))
      expect(await waitingJobs(target)).toEqual(await waitingJobs(source))
      // Sequences continue after the restored rows: a new customer's row does not collide.
      const [fresh] = await target.db.insert(users).values({ telegramId: 7999, firstName: 'New' }).returning()
      expect(fresh!.telegramId).toBe(7999)
      // And new audit entries extend the restored chain.
      const targetServices = await createTestServices(target)
      const [latest] = rowsOf<{ id: number }>(await target.db.execute(sql`select id from orders where status = 'in_progress' limit 1`))
      await changeOrderStatusAsStaff(targetServices.staff(9000000099, ['owner']), Number(latest!.id), 'ready')
      await targetServices.close()
      expect(await verifyAuditChain(target.db)).toMatchObject({ ok: true, entries: before.entries + 1 })
    } finally {
      await target.close()
      rmSync(targetDir, { recursive: true, force: true })
    }
  })

  it('knows every queue of the app when it puts waiting jobs back (the declarations match the workers)', () => {
    expect(jobDefinitions.map((d) => d.name).sort()).toEqual(definitions.map((d) => d.name).sort())
  })

  it('refuses a corrupt file and says so, before touching the database', async () => {
    const target = await createTestDatabase()
    try {
      const flipped = Buffer.from(backup.bytes)
      flipped[Math.floor(flipped.length / 2)] ^= 0xff
      await expect(restoreBackup(target, flipped, { force: true })).rejects.toMatchObject({ reason: 'corrupt' })
      const text = gunzipSync(backup.bytes).toString('utf8').replace('"Мария"', '"Марина"')
      await expect(restoreBackup(target, gzipSync(Buffer.from(text)), { force: true })).rejects.toThrow(/does not match the manifest's checksum/)
      await expect(restoreBackup(target, gunzipSync(backup.bytes).subarray(0, 5000), { force: true })).rejects.toMatchObject({ reason: 'corrupt' })
      // Nothing was dropped: the database still answers with its migrated tables.
      expect((await listTables(target.db)).length).toBeGreaterThan(10)
    } finally {
      await target.close()
    }
  })

  it('refuses a backup written by a newer schema, naming the release to upgrade to', async () => {
    const { manifest, lines } = unpackBackup(backup.bytes)
    const { checksum: _, ...rest } = manifest
    const newer = packBackup({ ...rest, appVersion: '9.9.9', schema: { migrations: manifest.schema.migrations + 1, last: '9999_future', lastWhen: manifest.schema.lastWhen + 1 } }, lines)
    const target = await createTestDatabase()
    try {
      await expect(restoreBackup(target, newer.bytes, { force: true })).rejects.toMatchObject({ reason: 'newer_schema', message: expect.stringMatching(/upgrade the app to 9\.9\.9/) })
    } finally {
      await target.close()
    }
  })
})

describe.runIf(process.env.TEST_DATABASE_URL)('moving from PGlite to PostgreSQL', () => {
  it('restores a PGlite backup into an empty PostgreSQL database, every row, file, job and the audit chain', async () => {
    const pglite = await openPglite()
    await pglite.migrate()
    const liteServices = await createTestServices(pglite)
    const liteDir = tempDir()
    const created = await createPostgresDatabase()
    const postgres = await openPostgres(created.url)
    const pgDir = tempDir()
    try {
      await fillBusiness(pglite, liteServices, liteDir)
      const file = await createBackup(pglite, { dataDir: liteDir, appVersion: 'test' })
      const result = await restoreBackup(postgres, file.bytes, { dataDir: pgDir, restoreJobs: jobRestorer(postgres, definitions, silent) })
      expect(result.manifest.engine).toBe('pglite')
      expect(await everyRow(postgres)).toEqual(await everyRow(pglite))
      expect(await verifyAuditChain(postgres.db)).toEqual(await verifyAuditChain(pglite.db))
      expect(files(pgDir)).toEqual(files(liteDir))
      expect(await waitingJobs(postgres)).toEqual(await waitingJobs(pglite))
    } finally {
      await liteServices.close()
      await pglite.close()
      await postgres.close()
      await created.drop()
      rmSync(liteDir, { recursive: true, force: true })
      rmSync(pgDir, { recursive: true, force: true })
    }
  }, 180_000)
})
