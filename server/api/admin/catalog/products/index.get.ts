import { listProductsForAdmin } from '#server/services/catalog/admin'
import { toProductDto } from '#server/services/catalog/dto'

/** Every product, hidden ones included, for the catalog editor. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'catalog.write')
  const services = await useServices()
  return { items: (await listProductsForAdmin(services.db)).map((p) => ({ ...toProductDto(p), isActive: p.isActive, position: p.position })) }
})
