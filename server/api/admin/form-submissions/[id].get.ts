import { getSubmission } from '#server/services/forms'
import { toAdminSubmissionDetailDto } from '#server/services/forms/dto'
import { FormIdParamsSchema } from '#shared/schemas/forms'

/** One submission with the definition it was filled with (labels, photos, location). */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'forms.submissions')
  const { id } = await getValidatedRouterParams(event, FormIdParamsSchema.parse)
  const services = await useServices()
  return toAdminSubmissionDetailDto(await getSubmission(services.db, id))
})
