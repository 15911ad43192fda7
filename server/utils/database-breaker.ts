/**
 * While the PostgreSQL server is gone (restarting, unreachable), requests that need it would queue
 * inside the driver behind its reconnect attempts and hang for tens of seconds (measured by the
 * chaos suite: up to 29 s for a webhook update during a 10 s outage). Instead, the first failure
 * opens this breaker: API requests then answer 503 `database_unavailable` at once (Telegram and the
 * Mini App retry), and one ping a second closes it again as soon as the server answers.
 */
const PROBE_MS = 1000
let down = false
let probing: NodeJS.Timeout | undefined

export function databaseLooksDown() {
  return down
}

/** Called on a request that failed because the database did not answer; `ping` says when it is back. */
export function noteDatabaseDown(ping: () => Promise<void>) {
  down = true
  if (probing) return
  const probe = () => {
    probing = setTimeout(async () => {
      try {
        await ping()
        down = false
        probing = undefined
      } catch {
        probe()
      }
    }, PROBE_MS)
    probing.unref()
  }
  probe()
}
