import { exportSubmissionsCsv } from '#server/services/forms/export'
import { AdminSubmissionsQuerySchema } from '#shared/schemas/forms'

/** Submissions as CSV with the same filters as the list; one column per field, photo links in full. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'forms.submissions')
  const query = await getValidatedQuery(event, AdminSubmissionsQuerySchema.parse)
  const services = await useServices()
  setResponseHeader(event, 'Content-Type', 'text/csv; charset=utf-8')
  setResponseHeader(event, 'Content-Disposition', `attachment; filename="form-submissions-${new Date().toISOString().slice(0, 10)}.csv"`)
  return exportSubmissionsCsv(services.db, query, services.config.publicUrl)
})
