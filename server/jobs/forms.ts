import { jobWorker, type JobContext } from './queue'
import type { JobDeps } from '../composition-root'
import { chatRecipient, listStaffIds, userNames } from '../services/auth/users'
import { getSubmission } from '../services/forms'
import { submissionReceivedJob } from '../services/forms/jobs'
import { submissionMessage } from '../services/forms/messages'
import { chatMessageJob } from '../services/notifications/jobs'

export const formWorkers = [
  /** A stored submission: each operator and manager gets a chat message (one job per chat, so a retry never repeats one). */
  jobWorker(submissionReceivedJob, async ({ submissionId }, { services }: JobContext<JobDeps>) => {
    const { submission, formTitle, destination } = await getSubmission(services.db, submissionId)
    if (destination !== 'operators') return
    const senderName = (await userNames(services.db, [submission.userId])).get(submission.userId) ?? String(submission.userId)
    const recipients = await Promise.all((await listStaffIds(services.db, ['owner', 'admin', 'manager', 'operator'])).map((id) => chatRecipient(services.db, id)))
    for (const r of recipients) {
      if (!r || r.blocked) continue
      const text = submissionMessage(r.locale, { id: submission.id, formTitle, byStaff: submission.byStaff, senderName })
      await services.queue.enqueue(chatMessageJob, { chatId: r.id, text }, { singletonKey: `form-submission-${submissionId}-${r.id}`, singletonSeconds: 7 * 24 * 3600 })
    }
  }),
]
