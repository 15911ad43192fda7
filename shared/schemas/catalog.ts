import { z } from 'zod'
import { rowId, rowIdParam, text } from './common'

const slug = text().trim().min(1).max(80).regex(/^[a-z0-9-]+$/, 'letters, digits and dashes only')
/** Query values arrive as strings (or repeated keys as arrays); these coerce them. */
const intParam = z.coerce.number().int().min(0).max(100_000_000)
const boolParam = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1')
const listParam = z
  .union([text(), z.array(text())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(text().max(40)).max(10))

/** GET /api/catalog/products */
export const ProductListQuerySchema = z
  .object({
    category: slug.optional(),
    q: text().trim().min(1).max(100).optional(),
    priceMin: intParam.optional(),
    priceMax: intParam.optional(),
    inStock: boolParam.optional(),
    tags: listParam.optional(),
    sort: z.enum(['popular', 'price_asc', 'price_desc', 'new']).default('popular'),
    cursor: text().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .refine((q) => q.priceMin === undefined || q.priceMax === undefined || q.priceMin <= q.priceMax, { message: 'priceMin must not exceed priceMax', path: ['priceMin'] })
export type ProductListQuery = z.output<typeof ProductListQuerySchema>

export const ProductSlugParamsSchema = z.object({ slug })

/** Option choices: option key -> value key. */
export const SelectedOptionsSchema = z.record(text().regex(/^[a-z0-9_]{1,30}$/), text().regex(/^[a-z0-9_-]{1,40}$/)).refine((o) => Object.keys(o).length <= 10, 'too many options')

export const LocalizedTextSchema = z.object({ ru: text().trim().min(1).max(200), en: text().trim().min(1).max(200) })
const LocalizedLongTextSchema = z.object({ ru: text().trim().max(4000), en: text().trim().max(4000) })

const attributeKey = text().regex(/^[a-z0-9_]{1,30}$/, 'latin letters, digits and _ only')
/** An attribute's value in both languages ("300 мл" / "300 ml"). */
const AttributeValueSchema = z.object({ ru: text().trim().min(1).max(100), en: text().trim().min(1).max(100) })

/** A fact on the product card ("Объём: 300 мл" / "Volume: 300 ml"). */
export const ProductAttributeSchema = z.object({ key: attributeKey, name: LocalizedTextSchema, value: AttributeValueSchema })

export const ProductOptionSchema = z.object({
  key: text().regex(/^[a-z0-9_]{1,30}$/),
  name: LocalizedTextSchema,
  required: z.boolean().default(false),
  values: z
    .array(
      z.object({
        value: text().regex(/^[a-z0-9_-]{1,40}$/),
        name: LocalizedTextSchema,
        priceDeltaMinor: z.number().int().min(-10_000_000).max(10_000_000),
        /** The product's attributes this choice changes (a 400 ml size: volume 400 ml). */
        attributes: z.array(z.object({ key: attributeKey, value: AttributeValueSchema })).max(10).optional(),
      }),
    )
    .min(1)
    .max(20),
})

type AttributeInput = { key: string }[]
type OptionsInput = { key: string; values: { value: string; attributes?: { key: string }[] }[] }[]
/**
 * Attribute keys are unique, and an option value may only change an attribute the product has
 * (its name comes from there). Problems as zod-style paths for the form.
 */
export function attributeProblems(attributes: AttributeInput, options: OptionsInput): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = []
  const keys = new Set<string>()
  attributes.forEach((a, i) => {
    if (keys.has(a.key)) problems.push({ path: ['attributes', i, 'key'], message: `the attribute "${a.key}" is listed twice` })
    keys.add(a.key)
  })
  options.forEach((o, i) =>
    o.values.forEach((v, j) =>
      v.attributes?.forEach((a, k) => {
        if (!keys.has(a.key)) problems.push({ path: ['options', i, 'values', j, 'attributes', k, 'key'], message: `the product has no attribute "${a.key}" to change` })
      }),
    ),
  )
  return problems
}

const tagList = z.array(text().trim().min(1).max(40)).max(20)

const ProductFieldsSchema = z.object({
  slug,
  categoryId: rowId(),
  name: LocalizedTextSchema,
  description: LocalizedLongTextSchema,
  priceMinor: z.number().int().min(0).max(100_000_000),
  compareAtPriceMinor: z.number().int().min(0).max(100_000_000).nullable().default(null),
  currency: text().regex(/^[A-Z]{3}$/).default('RUB'),
  stock: z.number().int().min(0).max(1_000_000).default(0),
  images: z.array(text().regex(/^\/(files|demo)\/[A-Za-z0-9/_.-]+$/)).max(12).default([]),
  attributes: z.array(ProductAttributeSchema).max(20).default([]),
  tags: tagList.default([]),
  options: z.array(ProductOptionSchema).max(5).default([]),
  isActive: z.boolean().default(true),
  position: z.number().int().min(0).max(100_000).default(0),
})
/** POST /api/admin/catalog/products — money in minor units (kopecks), as everywhere in the API. */
export const ProductInputSchema = ProductFieldsSchema.superRefine((p, ctx) => {
  for (const problem of attributeProblems(p.attributes, p.options)) ctx.addIssue({ code: 'custom', ...problem })
})
export type ProductInput = z.output<typeof ProductInputSchema>
/**
 * A PATCH changes only the fields it carries: the create schema's defaults must not fill in the
 * rest (they would silently reset images, options or visibility).
 */
export function withoutDefaults<Shape extends z.ZodRawShape>(shape: Shape) {
  return Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, field instanceof z.ZodDefault ? field.unwrap() : field])) as {
    [K in keyof Shape]: Shape[K] extends z.ZodDefault<infer Inner> ? Inner : Shape[K]
  }
}

export const ProductPatchSchema = z
  .object(withoutDefaults(ProductFieldsSchema.omit({ stock: true }).shape))
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change')
export type ProductPatch = z.output<typeof ProductPatchSchema>

export const StockAdjustmentSchema = z.object({ delta: z.number().int().min(-1_000_000).max(1_000_000).refine((d) => d !== 0, 'delta must not be 0'), reason: text().trim().min(2).max(200) })

export const CategoryInputSchema = z.object({
  slug,
  parentId: rowId().nullable().default(null),
  name: LocalizedTextSchema,
  description: LocalizedLongTextSchema.nullable().default(null),
  position: z.number().int().min(0).max(100_000).default(0),
  isActive: z.boolean().default(true),
})
export const CategoryPatchSchema = z
  .object(withoutDefaults(CategoryInputSchema.shape))
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change')
export const IdParamsSchema = z.object({ id: rowIdParam() })
