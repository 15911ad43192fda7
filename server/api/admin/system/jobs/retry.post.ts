import { RetryJobSchema } from '#shared/schemas/system'
import { retryFailedJob } from '#server/services/system'

/** Runs a failed job once more (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'system.manage')
  const input = await readValidatedBody(event, RetryJobSchema.parse)
  const services = await useServices()
  await retryFailedJob(ctx, services.queue, input)
  return { ok: true }
})
