import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import type { Role } from '../../shared/permissions'
import { createBot } from '../../server/bot'
import type { DatabaseHandle } from '../../server/db/client'
import { rowsOf } from '../../server/db/results'
import { jobWorkers } from '../../server/jobs'
import { JobQueue } from '../../server/jobs/queue'
import { contextFor, systemContext, type ContextSource, type ServiceContext } from '../../server/services/context'
import { createFakeBotApi, type FakeBotApi } from '../../server/telegram/fake-bot-api'
import { loadConfig } from '../../server/utils/config'
import { createLogger } from '../../server/utils/logger'

/** What a service test needs to build contexts: the test database, a real queue on it, and a bot talking to a fake Bot API. */
export interface TestServices extends ContextSource {
  handle: DatabaseHandle
  fake: FakeBotApi
  /** Contexts acting as a customer, a staff member (roles as given) or the system. */
  customer(userId: number): ServiceContext
  staff(userId: number, roles?: Role[]): ServiceContext
  system(name?: string): ServiceContext
  /** Jobs queued (not yet worked) under a queue name, with their payloads, oldest first. */
  queued(name: string): Promise<{ data: Record<string, unknown>; startAfter: Date; singletonKey: string | null }[]>
  close(): Promise<void>
}

const TOKEN = '123456789:TEST-services-token-aaaaaaaaaaaaaaaaaaaa'

/**
 * Services for a test file, on a database from `createTestDatabase()`: the real queue (pg-boss on
 * the same database, no workers running, so tests see what a change queued), the sandbox config
 * and a fake Bot API. Nothing of ours is mocked.
 */
export async function createTestServices(handle: DatabaseHandle, env: Record<string, string> = {}): Promise<TestServices> {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: mkdtempSync(join(tmpdir(), 'tma-services-')), LOG_LEVEL: 'silent', ...env })
  const logger = createLogger({ level: 'silent' })
  const fake = createFakeBotApi({ token: TOKEN })
  const bot = createBot({ token: TOKEN, apiRoot: await fake.listen(0, '127.0.0.1') })
  const queue = new JobQueue(handle, logger)
  await queue.start()
  await queue.register(jobWorkers.map((w) => w.definition))
  const source: ContextSource = { db: handle.db, queue, logger, config, bot }
  return {
    ...source,
    handle,
    fake,
    customer: (userId) => contextFor(source, { kind: 'customer', userId, via: 'tma' }),
    staff: (userId, roles = ['owner']) => contextFor(source, { kind: 'staff', userId, via: 'session', roles }),
    system: (name = 'test') => systemContext(source, name),
    async queued(name) {
      const rows = rowsOf<{ data: Record<string, unknown>; start_after: Date; singleton_key: string | null }>(
        await handle.db.execute(sql`select data, start_after, singleton_key from pgboss.job where name = ${name} and state in ('created', 'retry') order by created_on, id`),
      )
      return rows.map((r) => ({ data: r.data, startAfter: new Date(r.start_after), singletonKey: r.singleton_key }))
    },
    async close() {
      await queue.stop(1000)
      await fake.close()
    },
  }
}
