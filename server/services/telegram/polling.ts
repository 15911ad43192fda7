import type { Update } from 'telegraf/types'
import type { AppServices } from '../../composition-root'
import { acceptUpdate, handleClaimedUpdate } from './intake'
import { TelegramUpdateSchema } from './updates'

/**
 * Long polling for installations without an https PUBLIC_URL. Each update is stored before the
 * offset moves past it, so a crash never drops one. Returns a stop function.
 */
export function startPolling(services: AppServices): () => Promise<void> {
  let running = true
  let offset: number | undefined
  const controller = new AbortController()
  const loop = (async () => {
    let backoffMs = 1000
    while (running) {
      try {
        const updates: Update[] = await services.bot.telegram.callApi('getUpdates', { offset, timeout: 25, allowed_updates: [] }, { signal: controller.signal } as never)
        backoffMs = 1000
        for (const raw of updates) {
          const update = TelegramUpdateSchema.parse(raw)
          const { claimed } = await acceptUpdate(services, update)
          if (claimed) services.track(handleClaimedUpdate(services, claimed))
          offset = update.update_id + 1
        }
      } catch (error) {
        if (!running) break
        services.logger.warn('getUpdates failed; retrying', { error, backoffMs })
        await new Promise((resolve) => setTimeout(resolve, backoffMs))
        backoffMs = Math.min(backoffMs * 2, 30_000)
      }
    }
  })()
  return async () => {
    running = false
    controller.abort()
    await loop
  }
}
