const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())])

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
  await Promise.all([probe('database', () => services.database.ping()), probe('queue', () => services.queue.ping())])
  const ok = Object.values(checks).every((c) => c.ok)
  if (!ok) setResponseStatus(event, 503)
  return ok ? { status: 'ready', checks } : { status: 'degraded', code: 'not_ready', checks }
})
