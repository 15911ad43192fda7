import { ProductInputSchema } from '#shared/schemas/catalog'
import type { AdminProduct, ProductOption } from './types'
import { useAdminApi } from './api'
import { minorToRubles, useSchemaForm } from './form'
import { useAdminI18n } from './i18n'

/** The product editor's working copy: money as the decimals a person types, tags as one line. */
export interface ProductDraft {
  slug: string
  categoryId: number | null
  name: { ru: string; en: string }
  description: { ru: string; en: string }
  price: string
  compareAt: string
  tags: string
  stock: number | null
  isActive: boolean
  options: { key: string; name: { ru: string; en: string }; required: boolean; values: { value: string; name: { ru: string; en: string }; delta: string }[] }[]
}

export function draftFrom(p?: AdminProduct | null): ProductDraft {
  const tags = p?.attributes.tags
  return {
    slug: p?.slug ?? '',
    categoryId: p?.categoryId ?? null,
    name: { ...(p?.name ?? { ru: '', en: '' }) },
    description: { ...(p?.description ?? { ru: '', en: '' }) },
    price: minorToRubles(p?.priceMinor),
    compareAt: minorToRubles(p?.compareAtPriceMinor),
    tags: Array.isArray(tags) ? tags.join(', ') : '',
    stock: p?.stock ?? 0,
    isActive: p?.isActive ?? true,
    options: (p?.options ?? []).map((o: ProductOption) => ({
      key: o.key,
      name: { ...o.name },
      required: o.required ?? false,
      values: o.values.map((v) => ({ value: v.value, name: { ...v.name }, delta: minorToRubles(v.priceDeltaMinor) })),
    })),
  }
}

/**
 * The product editor on the one form pattern: new (POST) or existing (PATCH) by `product`, money
 * typed in rubles sent in kopecks, fields it does not show (images, position, other attributes) sent
 * back unchanged, checked with the same ProductInputSchema the server uses.
 */
export function useProductEditor(product: Ref<AdminProduct | null>) {
  const { t } = useAdminI18n()
  const api = useAdminApi()
  return useSchemaForm({
    schema: ProductInputSchema,
    draft: () => draftFrom(product.value),
    toBody(d, read) {
      const existing = product.value
      const tags = read.list(d.tags)
      const { tags: _old, ...otherAttributes } = existing?.attributes ?? {}
      return {
        slug: d.slug.trim(),
        categoryId: d.categoryId ?? undefined,
        name: d.name,
        description: d.description,
        priceMinor: read.money(d.price, 'priceMinor', undefined),
        compareAtPriceMinor: read.money(d.compareAt, 'compareAtPriceMinor', null),
        attributes: tags.length ? { ...otherAttributes, tags } : otherAttributes,
        options: d.options.map((o, i) => ({
          key: o.key.trim(),
          name: o.name,
          required: o.required,
          values: o.values.map((v, j) => ({ value: v.value.trim(), name: v.name, priceDeltaMinor: read.money(v.delta, `options.${i}.values.${j}.priceDeltaMinor`, 0, { negative: true }) })),
        })),
        isActive: d.isActive,
        images: existing?.images ?? [],
        position: existing?.position ?? 0,
        currency: existing?.currency ?? 'RUB',
        // Stock changes through its own audited action once the product exists.
        ...(existing ? {} : { stock: d.stock ?? 0 }),
      }
    },
    messages: { priceMinor: 'editor.badPrice', compareAtPriceMinor: 'editor.badPrice', options: 'editor.badOption', slug: 'form.slug', categoryId: 'form.choose' },
    send(body, headers) {
      const existing = product.value
      if (!existing) return api.call('/api/admin/catalog/products', { method: 'POST', body, headers })
      const { stock: _stock, ...patch } = body
      return api.call('/api/admin/catalog/products/:id', { params: { id: existing.id }, method: 'PATCH', body: patch, headers })
    },
    done: () => (product.value ? t('common.saved') : t('editor.created')),
  })
}
export type ProductEditor = ReturnType<typeof useProductEditor>
