/** How often the inbox and an open conversation look for news (the cheap reads are indexed). */
const LIVE_MS = 5000

/**
 * Re-runs `reload` every few seconds while the screen is open and the tab is visible, so a new
 * customer message or a delivery state shows up without a reload.
 */
export function useLiveReload(reload: () => unknown) {
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    timer = setInterval(() => {
      if (document.visibilityState === 'visible') void reload()
    }, LIVE_MS)
  })
  onBeforeUnmount(() => clearInterval(timer))
}

/** Minutes between two moments, for SLA timers (first response, resolution). */
export const minutesBetween = (from: string | Date, to: string | Date | null | undefined) => Math.max(0, Math.round(((to ? new Date(to) : new Date()).getTime() - new Date(from).getTime()) / 60_000))
