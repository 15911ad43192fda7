import { getForm } from '#server/services/forms'
import { toAdminFormDto } from '#server/services/forms/dto'
import { FormIdParamsSchema } from '#shared/schemas/forms'

/** One form as edited (the next version's definition). */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'forms.manage')
  const { id } = await getValidatedRouterParams(event, FormIdParamsSchema.parse)
  const services = await useServices()
  return toAdminFormDto(await getForm(services.db, id))
})
