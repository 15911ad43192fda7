import { infrastructureFailure } from './infrastructure'

/**
 * Writes down something already done outside the database (a message Telegram accepted, a job
 * whose work is finished). While the database is unreachable (a restart, a failover) the write is
 * tried again every `everyMs` instead of failing the job: a failed job is retried, and its retry
 * would do the outside thing a second time (the chaos suite saw customers answered twice after a
 * PostgreSQL crash). Any other error throws at once; after `maxMs` the last error is thrown.
 */
export async function untilStored<T>(write: () => Promise<T>, options: { everyMs?: number; maxMs?: number; onWait?: (error: unknown) => void } = {}): Promise<T> {
  const { everyMs = 500, maxMs = 10 * 60_000 } = options
  const giveUpAt = Date.now() + maxMs
  for (let attempt = 0; ; attempt++) {
    try {
      return await write()
    } catch (error) {
      if (!infrastructureFailure(error) || Date.now() + everyMs > giveUpAt) throw error
      if (attempt === 0) options.onWait?.(error)
      // Unref'd: a process shutting down is not held open by a wait (the lease or heartbeat covers it).
      await new Promise((resolve) => setTimeout(resolve, everyMs).unref())
    }
  }
}
