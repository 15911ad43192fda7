/**
 * Once a screen shows what it came for, fetches the code of the screens a person most likely opens
 * next, in idle time. Links prefetch only on touch/hover (nuxt.config), so a first launch on a slow
 * network spends its bandwidth on the first screen, and the next tap still finds its code ready.
 */
export function prefetchScreens(paths: string[]) {
  if (import.meta.server) return
  const run = () => {
    for (const path of paths) void preloadRouteComponents(path).catch(() => {})
  }
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 3000 })
  else setTimeout(run, 300)
}
