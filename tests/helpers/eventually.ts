/** Polls `check` until it stops throwing (or returns truthy), for effects that happen after a response. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value !== false && value !== undefined && value !== null) return value
      lastError = new Error(`condition returned ${String(value)}`)
    } catch (error) {
      lastError = error
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
  throw lastError
}
