import postgres from 'postgres'
import type { DatabaseHandle } from './client'
import type { Logger } from '../utils/logger'

/** Namespace of the app's advisory locks (the first of the two keys), so they never meet another app's. */
const LOCK_NAMESPACE = 0x746d61 // "tma"

/** A stable 31-bit key for a duty's name. */
function dutyKey(name: string) {
  let hash = 0
  for (const char of name) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0
  return hash & 0x7fffffff
}

export interface LeaderDuty {
  /** Whether this process holds the duty right now. */
  isLeader(): boolean
  /** Stops the duty if running here and gives the lock up. */
  stop(): Promise<void>
}

/**
 * Runs a duty that must run in one process only (long polling: two getUpdates callers make
 * Telegram answer 409 to each other), whatever the number of replicas. On PostgreSQL the holder
 * keeps a session advisory lock on a connection of its own; the others try again every
 * `retryMs`. A holder that dies or loses its connection loses the lock with it (the server frees
 * it), and another replica takes over within `retryMs`. The holder checks every `retryMs` that its
 * connection still holds the lock and stops the duty when not. PGlite is one process: it always
 * leads.
 */
export function runAsLeader(database: DatabaseHandle, name: string, start: () => () => Promise<void>, logger: Logger, options: { retryMs?: number } = {}): LeaderDuty {
  if (database.kind === 'pglite') {
    const stopDuty = start()
    return { isLeader: () => true, stop: stopDuty }
  }
  const retryMs = options.retryMs ?? 5000
  const key = dutyKey(name)
  let client: postgres.Sql | undefined
  let stopDuty: (() => Promise<void>) | undefined
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  const resign = async (reason: string) => {
    if (stopDuty) {
      logger.warn('leader duty stopped here', { duty: name, reason })
      const stopping = stopDuty
      stopDuty = undefined
      await stopping().catch((error) => logger.error('leader duty failed to stop', { duty: name, error }))
    }
    const old = client
    client = undefined
    await old?.end({ timeout: 1 }).catch(() => {})
  }

  const tick = async () => {
    try {
      if (!client) {
        // One connection that lives as long as the lock: no idle timeout, no lifetime recycling.
        client = postgres(database.url!, { max: 1, idle_timeout: 0, max_lifetime: 0, onnotice: () => {}, connection: { application_name: `tma-platform-leader:${name}` } })
      }
      if (stopDuty) {
        const [row] = await client`select exists(select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and classid = ${LOCK_NAMESPACE} and objid = ${key} and granted) as held`
        if (!row?.held) await resign('lock lost (connection replaced)')
      } else {
        const [row] = await client`select pg_try_advisory_lock(${LOCK_NAMESPACE}::int, ${key}::int) as got`
        if (row?.got && !stopped) {
          logger.info('leader duty started here', { duty: name })
          stopDuty = start()
        }
      }
    } catch (error) {
      await resign(`database connection failed: ${(error as Error).message}`)
    }
    if (!stopped) timer = setTimeout(() => void tick(), retryMs)
  }
  void tick()

  return {
    isLeader: () => Boolean(stopDuty),
    async stop() {
      stopped = true
      clearTimeout(timer)
      await resign('shutdown')
    },
  }
}
