import { updateForm } from '#server/services/forms'
import { toAdminFormDto } from '#server/services/forms/dto'
import { FormIdParamsSchema, FormPatchSchema } from '#shared/schemas/forms'

/** Edits a form; the Mini App keeps showing the published version until the next publish. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'forms.manage')
  const { id } = await getValidatedRouterParams(event, FormIdParamsSchema.parse)
  const patch = await readValidatedBody(event, FormPatchSchema.parse)
  return toAdminFormDto(await updateForm(ctx, id, patch))
})
