import { listCategoriesForAdmin } from '#server/services/catalog/admin'
import { toCategoryDto } from '#server/services/catalog/dto'

/** Every category, hidden ones included, with position and visibility, for the catalog editor. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'catalog.write')
  const services = await useServices()
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return { items: (await listCategoriesForAdmin(services.db)).map((c) => ({ ...toCategoryDto(c), position: c.position, isActive: c.isActive })) }
})
