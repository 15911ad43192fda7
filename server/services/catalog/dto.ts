import type { categories, ProductOption } from '../../db/schema'
import type { ProductRow } from './products'

/** What clients see of a product: no internal fields (search vector, positions, timestamps). */
export function toProductDto(p: ProductRow) {
  return {
    id: p.id,
    slug: p.slug,
    categoryId: p.categoryId,
    name: p.name,
    description: p.description,
    priceMinor: p.priceMinor,
    compareAtPriceMinor: p.compareAtPriceMinor,
    currency: p.currency,
    inStock: p.stock > 0,
    stock: p.stock,
    images: p.images,
    attributes: p.attributes,
    tags: p.tags,
    options: p.options as ProductOption[],
  }
}
export type ProductDto = ReturnType<typeof toProductDto>

export function toCategoryDto(c: typeof categories.$inferSelect) {
  return { id: c.id, slug: c.slug, parentId: c.parentId, name: c.name, description: c.description }
}
