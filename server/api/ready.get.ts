import { statfs } from 'node:fs/promises'
import { settledWithin } from '#server/utils/infrastructure'

/**
 * Below this much free space on the disk of DATA_DIR (PGlite data, uploaded files, backups) the
 * instance says it is not ready: writes would fail with `storage_full` (a WAL segment is 16 MB).
 */
const MIN_FREE_BYTES = 32 * 1024 * 1024

const withTimeout = <T>(promise: Promise<T>, ms: number) => settledWithin(promise, ms, () => new Error(`timed out after ${ms} ms`))

/** Readiness: the database answers and the queue is running; 503 (with what is down) otherwise. */
export default defineEventHandler(async (event) => {
  setResponseHeader(event, 'Cache-Control', 'no-store')
  const app = useBootstrap()
  const checks: Record<string, { ok: boolean; error?: string }> = {}
  let services
  try {
    services = await withTimeout(app!.ready, 2000)
  } catch (error) {
    setResponseStatus(event, 503)
    return { status: 'starting', code: 'not_ready', checks: { startup: { ok: false, error: (error as Error).message } } }
  }
  const probe = async (name: string, check: () => Promise<unknown>) => {
    try {
      await withTimeout(check(), 2000)
      checks[name] = { ok: true }
    } catch (error) {
      checks[name] = { ok: false, error: (error as Error).message }
    }
  }
  const storage = async () => {
    const fs = await statfs(app!.config.dataDir)
    const free = fs.bavail * fs.bsize
    if (free < MIN_FREE_BYTES) throw new Error(`disk full: ${Math.floor(free / 1024 / 1024)} MB free for DATA_DIR (${app!.config.dataDir}); writes fail with storage_full until space is freed`)
  }
  await Promise.all([probe('database', () => services.database.ping()), probe('queue', () => services.queue.ping()), probe('storage', storage)])
  const ok = Object.values(checks).every((c) => c.ok)
  if (!ok) setResponseStatus(event, 503)
  return ok ? { status: 'ready', checks } : { status: 'degraded', code: 'not_ready', checks }
})
