/**
 * Rate limits are sliding windows estimated from per-minute counters: after a minute's end the
 * previous minute's hits weigh a little less with every second. A test that counts attempts up to
 * a limit exactly starts early in a minute, so all its attempts fall in one.
 */
export async function startEarlyInMinute(marginMs = 10_000) {
  const intoMinute = Date.now() % 60_000
  if (intoMinute > 60_000 - marginMs) await new Promise((r) => setTimeout(r, 60_500 - intoMinute))
}
