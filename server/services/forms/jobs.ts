import { z } from 'zod'
import { defineJob } from '../../jobs/queue'

/** A submission was stored: tell the operators in the chat (when the form says so). Integrations hook in here later. */
export const submissionReceivedJob = defineJob({
  name: 'forms.submission-received',
  schema: z.object({ submissionId: z.number().int() }),
  queue: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
})
