import { jobWorker, type JobContext } from './queue'
import type { JobDeps } from '../composition-root'
import { runBroadcastSlice, sendPreview } from '../services/broadcasts/delivery'
import { broadcastPreviewJob, broadcastSendJob } from '../services/broadcasts/jobs'

/** The bot's username for t.me links to the Mini App (what getMe said); none in the sandbox, where t.me cannot open it. */
const usernameOf = (services: JobDeps['services']) => (services.telegram.sandbox ? null : (services.bot.botInfo?.username ?? null))

export const broadcastWorkers = [
  /** A slice of sending; queues the next slice (now, after Telegram's pause, or at the scheduled time). */
  jobWorker(broadcastSendJob, async ({ broadcastId }, { services, logger, signal }: JobContext<JobDeps>) => {
    const outcome = await runBroadcastSlice({ ...services, logger, botUsername: usernameOf(services) }, broadcastId, { signal })
    if (outcome.next === 'later') await services.queue.enqueue(broadcastSendJob, { broadcastId }, { startAfter: outcome.at })
  }),
  /** The author's preview in their own chat. */
  jobWorker(broadcastPreviewJob, async ({ broadcastId, chatId }, { services, logger }: JobContext<JobDeps>) => {
    const result = await sendPreview({ ...services, logger, botUsername: usernameOf(services) }, broadcastId, chatId)
    if (result === 'blocked') logger.warn('broadcast preview not delivered: the author has not started the bot or blocked it', { broadcastId })
  }),
]
