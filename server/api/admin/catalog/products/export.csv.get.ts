import { exportProductsCsv } from '#server/services/catalog/admin'

/** The whole catalog as CSV (UTF-8 with BOM, opens in Excel); the importer reads it back. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'catalog.write')
  const services = await useServices()
  setResponseHeader(event, 'Content-Type', 'text/csv; charset=utf-8')
  setResponseHeader(event, 'Content-Disposition', `attachment; filename="products-${new Date().toISOString().slice(0, 10)}.csv"`)
  return exportProductsCsv(services.db)
})
