import { z } from 'zod'
import { defineJob } from '../../jobs/queue'

/**
 * Sends a broadcast for a while (a slice), then queues itself again: starts it when it was
 * scheduled, waits out Telegram's 429 pauses, and picks up where a stopped process left off.
 * One slice at a time per broadcast (the row's lock), so two replicas never send it at once.
 */
export const broadcastSendJob = defineJob({
  name: 'broadcasts.send',
  schema: z.object({ broadcastId: z.number().int() }),
  queue: { retryLimit: 20, retryDelay: 5, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 5 * 60 },
})

/** The author's preview: the broadcast in each of its languages, to the author's own chat. */
export const broadcastPreviewJob = defineJob({
  name: 'broadcasts.preview',
  schema: z.object({ broadcastId: z.number().int(), chatId: z.number().int() }),
  queue: { retryLimit: 5, retryDelay: 5, retryBackoff: true },
})
