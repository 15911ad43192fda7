import { z } from 'zod'

const slug = z.string().trim().min(1).max(80).regex(/^[a-z0-9-]+$/, 'letters, digits and dashes only')
/** Query values arrive as strings (or repeated keys as arrays); these coerce them. */
const intParam = z.coerce.number().int().min(0).max(100_000_000)
const boolParam = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1')
const listParam = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().max(40)).max(10))

/** GET /api/catalog/products */
export const ProductListQuerySchema = z
  .object({
    category: slug.optional(),
    q: z.string().trim().min(1).max(100).optional(),
    priceMin: intParam.optional(),
    priceMax: intParam.optional(),
    inStock: boolParam.optional(),
    tags: listParam.optional(),
    sort: z.enum(['popular', 'price_asc', 'price_desc', 'new']).default('popular'),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .refine((q) => q.priceMin === undefined || q.priceMax === undefined || q.priceMin <= q.priceMax, { message: 'priceMin must not exceed priceMax', path: ['priceMin'] })
export type ProductListQuery = z.output<typeof ProductListQuerySchema>

export const ProductSlugParamsSchema = z.object({ slug })

/** Option choices: option key -> value key. */
export const SelectedOptionsSchema = z.record(z.string().regex(/^[a-z0-9_]{1,30}$/), z.string().regex(/^[a-z0-9_-]{1,40}$/)).refine((o) => Object.keys(o).length <= 10, 'too many options')
