// Kept free of h3, so the command-line tools that bundle it run without it.
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT'])

/**
 * Whether a failure is the database's or the disk's rather than ours: the PostgreSQL server gone or
 * restarting (connection refused or closed, SQLSTATE class 08, 57P01-57P03) or no space left for
 * DATA_DIR (SQLSTATE 53100, ENOSPC). Those answer 503 with a stable code, and nothing was saved.
 * Looks through the `cause` chain (Drizzle wraps the driver's error).
 */
export function infrastructureFailure(error: unknown): 'storage_full' | 'database_unavailable' | undefined {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : ''
    const message = typeof e.message === 'string' ? e.message : ''
    if (code === '53100' || code === 'ENOSPC' || /no space left on device|could not extend file|disk full/i.test(message)) return 'storage_full'
    if (CONNECTION_CODES.has(code) || code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code)) return 'database_unavailable'
    if (/connection terminated|the database system is (starting up|shutting down|in recovery mode)|PGlite is closed|the database thread stopped/i.test(message)) return 'database_unavailable'
  }
  return undefined
}

/**
 * `promise`, or a failure counted as the database's (503 `database_unavailable`, which opens the
 * breaker) when it has not settled within `ms`. For a write whose caller must not hang while the
 * server is gone: postgres.js queues statements behind its reconnect attempts until the server is
 * back. The write itself may still commit later; the caller must be safe to retry (a webhook
 * update is deduped by its update_id, and a row left leased is handled by the sweep).
 */
export function answeredWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  return settledWithin(promise, ms, () => Object.assign(new Error(`the database did not answer within ${ms} ms`), { code: 'ETIMEDOUT' }))
}

/**
 * `promise`, or a rejection with `late()` when it has not settled within `ms`. The timer is
 * cleared as soon as it settles and never keeps the process alive.
 */
export function settledWithin<T>(promise: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms)
    timer.unref()
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
