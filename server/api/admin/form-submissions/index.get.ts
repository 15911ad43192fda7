import { listSubmissions } from '#server/services/forms'
import { toAdminSubmissionDto } from '#server/services/forms/dto'
import { AdminSubmissionsQuerySchema } from '#shared/schemas/forms'

/** Submissions, newest first, by form, status and dates. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'forms.submissions')
  const query = await getValidatedQuery(event, AdminSubmissionsQuerySchema.parse)
  const services = await useServices()
  const page = await listSubmissions(services.db, query)
  return { items: page.items.map(toAdminSubmissionDto), nextBefore: page.nextBefore }
})
