import { ProductInputSchema } from '#shared/schemas/catalog'
import type { AdminProduct, ProductOption } from './types'
import { useAdminApi } from './api'
import { editableAmount, useSchemaForm } from './form'
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
  /** Facts on the card ("Volume: 300 ml"), named and written in both languages. */
  attributes: { key: string; name: { ru: string; en: string }; value: { ru: string; en: string } }[]
  stock: number | null
  isActive: boolean
  /** `facts`: what a value changes on the card, by attribute key; blank means "as the product". */
  options: { key: string; name: { ru: string; en: string }; required: boolean; values: { value: string; name: { ru: string; en: string }; delta: string; facts: Record<string, { ru: string; en: string }> }[] }[]
}

export function draftFrom(p?: AdminProduct | null): ProductDraft {
  return {
    slug: p?.slug ?? '',
    categoryId: p?.categoryId ?? null,
    name: { ...(p?.name ?? { ru: '', en: '' }) },
    description: { ...(p?.description ?? { ru: '', en: '' }) },
    price: editableAmount(p?.priceMinor, p?.currency ?? 'RUB'),
    compareAt: editableAmount(p?.compareAtPriceMinor, p?.currency ?? 'RUB'),
    tags: (p?.tags ?? []).join(', '),
    attributes: (p?.attributes ?? []).map((a) => ({ key: a.key, name: { ...a.name }, value: { ...a.value } })),
    stock: p?.stock ?? 0,
    isActive: p?.isActive ?? true,
    options: (p?.options ?? []).map((o: ProductOption) => ({
      key: o.key,
      name: { ...o.name },
      required: o.required ?? false,
      values: o.values.map((v) => ({ value: v.value, name: { ...v.name }, delta: editableAmount(v.priceDeltaMinor, p?.currency ?? 'RUB'), facts: Object.fromEntries((v.attributes ?? []).map((a) => [a.key, { ...a.value }])) })),
    })),
  }
}

/**
 * The product editor on the one form pattern: new (POST) or existing (PATCH) by `product`, money
 * typed in rubles sent in kopecks, the card's facts and what each option value changes in them,
 * fields it does not show (images, position) sent back unchanged, checked with the same
 * ProductInputSchema the server uses.
 */
export function useProductEditor(product: Ref<AdminProduct | null>) {
  const { t, locale } = useAdminI18n()
  const api = useAdminApi()
  return useSchemaForm({
    schema: ProductInputSchema,
    draft: () => draftFrom(product.value),
    toBody(d, read) {
      const existing = product.value
      // Amounts are typed in the product's currency: rubles with kopecks, whole Telegram Stars.
      const currency = existing?.currency ?? 'RUB'
      return {
        slug: d.slug.trim(),
        categoryId: d.categoryId ?? undefined,
        name: d.name,
        description: d.description,
        priceMinor: read.money(d.price, 'priceMinor', undefined, { currency }),
        compareAtPriceMinor: read.money(d.compareAt, 'compareAtPriceMinor', null, { currency }),
        attributes: d.attributes.map((a) => ({ key: a.key.trim(), name: a.name, value: a.value })),
        tags: read.list(d.tags),
        options: d.options.map((o, i) => ({
          key: o.key.trim(),
          name: o.name,
          required: o.required,
          values: o.values.map((v, j) => {
            // Only facts the product still has go out; one written in a single language is an issue, not silently dropped.
            const facts = d.attributes.filter((a) => v.facts[a.key]?.ru.trim() || v.facts[a.key]?.en.trim())
            for (const a of facts) if (!v.facts[a.key]!.ru.trim() || !v.facts[a.key]!.en.trim()) read.issue(`options.${i}.values.${j}.attributes`, 'editor.factBothLanguages', { fact: a.name[locale.value] || a.key })
            const attributes = facts.map((a) => ({ key: a.key.trim(), value: v.facts[a.key]! }))
            return { value: v.value.trim(), name: v.name, priceDeltaMinor: read.money(v.delta, `options.${i}.values.${j}.priceDeltaMinor`, 0, { negative: true, currency }), ...(attributes.length ? { attributes } : {}) }
          }),
        })),
        isActive: d.isActive,
        images: existing?.images ?? [],
        position: existing?.position ?? 0,
        currency,
        // Stock changes through its own audited action once the product exists.
        ...(existing ? {} : { stock: d.stock ?? 0 }),
      }
    },
    messages: { priceMinor: 'editor.badPrice', compareAtPriceMinor: 'editor.badPrice', options: 'editor.badOption', attributes: 'editor.badFact', slug: 'form.slug', categoryId: 'form.choose' },
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
