import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { rowsOf } from '../../../../server/db/results'
import { auditEntries } from '../../../../server/db/schema'
import { backupsToKeep, listBackupFiles, pruneBackups, recordBackupStatus, writeBackupFile } from '../../../../server/services/backup/files'
import { retryTelegramUpdatesJob } from '../../../../server/services/telegram/jobs'
import { markUpdateFailed, storeUpdate } from '../../../../server/services/telegram/updates'
import { replayFailedUpdate, retryFailedJob, systemOverview } from '../../../../server/services/system'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

let handle: DatabaseHandle
let services: TestServices
let dataDir: string
const overview = () => systemOverview({ database: handle, queue: services.queue as never, bot: services.bot, config: { ...services.config, backup: { ...services.config.backup, dir: join(dataDir, 'backups') } }, pollingHere: null })

beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle)
  dataDir = mkdtempSync(join(tmpdir(), 'tma-system-'))
})
afterAll(async () => {
  await services?.close()
  await handle?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe(`the system page on ${engine}`, () => {
  it('names the release, the engine, the migration level and every queue', async () => {
    const system = await overview()
    expect(system.engine).toBe(handle.kind)
    expect(system.migrations.pending).toBe(0)
    expect(system.migrations.applied).toBe(system.migrations.shipped)
    expect(system.migrations.last).toMatch(/^\d{4}_/)
    expect(system.queues.map((q) => q.name)).toEqual(expect.arrayContaining(['telegram.retry-update', 'system.backup', 'notifications.chat-message']))
    expect(system.backup.status).toBeNull()
  })

  it('lists a job that failed for good with its error, and runs it again on request (audited)', async () => {
    const queue = services.queue as unknown as { boss: import('pg-boss').PgBoss }
    const id = await queue.boss.send(retryTelegramUpdatesJob.name, {})
    const [job] = await queue.boss.fetch(retryTelegramUpdatesJob.name)
    expect(job?.id).toBe(id)
    await queue.boss.fail(retryTelegramUpdatesJob.name, id!, { message: 'Telegram answered 502 Bad Gateway' })
    const failed = (await overview()).failedJobs.find((j) => j.id === id)
    expect(failed).toMatchObject({ queue: 'telegram.sweep-updates', error: 'Telegram answered 502 Bad Gateway' })

    await retryFailedJob(services.staff(9000000099, ['owner']), services.queue as never, { queue: failed!.queue, id: failed!.id })
    expect((await overview()).failedJobs.find((j) => j.id === id)).toBeUndefined()
    const [state] = rowsOf<{ state: string }>(await handle.db.execute(sql`select state from pgboss.job where id = ${id}::uuid`))
    expect(state!.state).toBe('retry')
    expect(await handle.db.select().from(auditEntries).where(eq(auditEntries.action, 'system.job_retry'))).toHaveLength(1)
    // A job that has not failed cannot be "retried", an unknown one is not found.
    await expect(retryFailedJob(services.staff(9000000099, ['owner']), services.queue as never, { queue: failed!.queue, id: failed!.id })).rejects.toMatchObject({ code: 'conflict' })
    await expect(retryFailedJob(services.staff(9000000099, ['owner']), services.queue as never, { queue: failed!.queue, id: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'not_found' })
  })

  it('lists a Telegram update parked after its attempts, and replays it (audited, queued at once)', async () => {
    const update = { update_id: 5550001, message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, text: 'hi' } }
    await storeUpdate(handle.db, update as never)
    await markUpdateFailed(handle.db, update.update_id, 10, new Error('handler crashed'))
    const system = await overview()
    expect(system.updates.failed).toBe(1)
    expect(system.updates.recentFailed[0]).toMatchObject({ updateId: 5550001, attempts: expect.any(Number), error: 'Error: handler crashed' })

    await replayFailedUpdate(services.staff(9000000099, ['owner']), 5550001)
    expect((await overview()).updates).toMatchObject({ failed: 0, pending: 1 })
    expect(await services.queued('telegram.retry-update')).toEqual(expect.arrayContaining([expect.objectContaining({ data: { updateId: 5550001 } })]))
    expect(await handle.db.select().from(auditEntries).where(eq(auditEntries.action, 'telegram.update_replay'))).toHaveLength(1)
    await expect(replayFailedUpdate(services.staff(9000000099, ['owner']), 5550001)).rejects.toMatchObject({ code: 'not_found' })
  })

  it('shows the last backup, and keeps the newest of each day and week when pruning', async () => {
    const folder = join(dataDir, 'backups')
    const written = await writeBackupFile(handle, { dataDir, appVersion: 'test', out: folder })
    await recordBackupStatus(handle.db, { ok: true, file: written.path, bytes: written.bytes })
    await recordBackupStatus(handle.db, { ok: false, error: 'ENOSPC: no space left on device' })
    const { backup } = await overview()
    expect(backup.status).toMatchObject({ ok: false, error: 'ENOSPC: no space left on device', lastSuccessAt: expect.any(String) })
    expect(await listBackupFiles(folder)).toHaveLength(1)

    const at = (iso: string) => ({ name: `tma-backup-${iso.replace(/[-:]/g, '')}.jsonl.gz`, at: new Date(iso), bytes: 1 })
    const files = [at('2026-11-30T03:15:00Z'), at('2026-11-29T03:15:00Z'), at('2026-11-29T01:00:00Z'), at('2026-11-28T03:15:00Z'), at('2026-11-22T03:15:00Z'), at('2026-11-15T03:15:00Z'), at('2026-11-08T03:15:00Z')]
    const keep = backupsToKeep(files, { daily: 2, weekly: 3 })
    // The two newest days (the 30th; the 29th's later file) and the newest file of each of the three
    // newest weeks (weeks start on Monday: the 30th; the 29th for the week of the 23rd; the 22nd).
    expect([...keep].sort()).toEqual([files[0]!.name, files[1]!.name, files[4]!.name].sort())
    expect(await pruneBackups(folder, { daily: 1, weekly: 0 })).toEqual([])
  })
})
