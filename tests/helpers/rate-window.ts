/**
 * Rate limits count per clock window (fixed windows, aligned to the minute): a burst of attempts
 * that straddles a window's end starts a new count halfway. A test that counts up to a limit
 * starts early in a minute.
 */
export async function startEarlyInMinute(marginMs = 10_000) {
  const intoMinute = Date.now() % 60_000
  if (intoMinute > 60_000 - marginMs) await new Promise((r) => setTimeout(r, 60_500 - intoMinute))
}
