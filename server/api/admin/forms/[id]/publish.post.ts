import { publishForm } from '#server/services/forms'
import { toAdminFormDto } from '#server/services/forms/dto'
import { FormIdParamsSchema } from '#shared/schemas/forms'

/** Publishes the edited definition as the next version (audited); submissions keep theirs. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'forms.manage')
  const { id } = await getValidatedRouterParams(event, FormIdParamsSchema.parse)
  const { form } = await publishForm(ctx, id)
  return toAdminFormDto(form)
})
