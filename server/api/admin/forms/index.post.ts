import { createForm } from '#server/services/forms'
import { toAdminFormDto } from '#server/services/forms/dto'
import { FormInputSchema } from '#shared/schemas/forms'

/** A new form (steps, fields, rules); the Mini App sees it once published. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'forms.manage')
  const input = await readValidatedBody(event, FormInputSchema.parse)
  setResponseStatus(event, 201)
  return toAdminFormDto(await createForm(ctx, input))
})
