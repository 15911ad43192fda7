import { listForms, submissionCounts } from '#server/services/forms'
import { toAdminFormDto } from '#server/services/forms/dto'

/** Every form with its published version and how many submissions it has. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'forms.manage')
  const services = await useServices()
  const [rows, counts] = await Promise.all([listForms(services.db), submissionCounts(services.db)])
  return { items: rows.map((f) => toAdminFormDto(f, counts.get(f.id) ?? 0)) }
})
