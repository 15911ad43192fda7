import { getSubmission, updateSubmission } from '#server/services/forms'
import { toAdminSubmissionDetailDto } from '#server/services/forms/dto'
import { FormIdParamsSchema, SubmissionPatchSchema } from '#shared/schemas/forms'

/** Status (new / in work / done) and assignee of a submission; audited. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'forms.submissions')
  const { id } = await getValidatedRouterParams(event, FormIdParamsSchema.parse)
  const patch = await readValidatedBody(event, SubmissionPatchSchema.parse)
  await updateSubmission(ctx, id, patch)
  return toAdminSubmissionDetailDto(await getSubmission(ctx.db, id))
})
