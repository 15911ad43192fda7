import { ProductInputSchema } from '#shared/schemas/catalog'
import { editableAmount, parseAmount } from './money'
import type { AdminProduct, ProductOption } from './types'

/** The editor's working copy: money as the decimal strings an operator types, tags as one line. */
export interface ProductDraft {
  slug: string
  categoryId: number | ''
  name: { ru: string; en: string }
  description: { ru: string; en: string }
  price: string
  compareAt: string
  tags: string
  stock: number
  isActive: boolean
  /** Facts on the card ("Volume: 300 ml"), named and written in both languages. */
  attributes: { key: string; name: { ru: string; en: string }; value: { ru: string; en: string } }[]
  /** `facts`: what a value changes on the card, by attribute key; blank means "as the product". */
  options: { key: string; name: { ru: string; en: string }; required: boolean; values: { value: string; name: { ru: string; en: string }; delta: string; facts: Record<string, { ru: string; en: string }> }[] }[]
}

export function draftFrom(p?: AdminProduct): ProductDraft {
  return {
    slug: p?.slug ?? '',
    categoryId: p?.categoryId ?? '',
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

export type DraftIssue = { path: string; message: string }

/**
 * The request body for POST (new) or PATCH (existing), checked with the same zod schema the server
 * uses; money typed in rubles goes out in kopecks. Returns issues instead when something is off.
 */
export function bodyFrom(draft: ProductDraft, existing: AdminProduct | undefined, badPrice: string): { body?: Record<string, unknown>; issues: DraftIssue[] } {
  const issues: DraftIssue[] = []
  // Amounts are typed in the product's currency: rubles with kopecks, whole Telegram Stars.
  const currency = existing?.currency ?? 'RUB'
  const priceMinor = parseAmount(draft.price, currency)
  if (priceMinor === null || priceMinor < 0) issues.push({ path: 'price', message: badPrice })
  const compareAtPriceMinor = draft.compareAt.trim() ? parseAmount(draft.compareAt, currency) : null
  if (draft.compareAt.trim() && compareAtPriceMinor === null) issues.push({ path: 'compareAt', message: badPrice })
  const options = draft.options.map((o, i) => ({
    key: o.key.trim(),
    name: o.name,
    required: o.required,
    values: o.values.map((v, j) => {
      const delta = v.delta.trim() ? parseAmount(v.delta, currency) : 0
      if (delta === null) issues.push({ path: `options.${i}.values.${j}.delta`, message: badPrice })
      // Only facts the product still has go out; one written in a single language is an issue, not silently dropped.
      for (const a of draft.attributes) {
        const text = v.facts[a.key]
        if (text && !text.ru.trim() !== !text.en.trim()) issues.push({ path: `options.${i}.values.${j}.attributes`, message: `${a.key}: ru + en` })
      }
      const facts = draft.attributes.filter((a) => v.facts[a.key]?.ru.trim() && v.facts[a.key]?.en.trim()).map((a) => ({ key: a.key.trim(), value: v.facts[a.key]! }))
      return { value: v.value.trim(), name: v.name, priceDeltaMinor: delta ?? 0, ...(facts.length ? { attributes: facts } : {}) }
    }),
  }))
  const tags = draft.tags.split(',').map((t) => t.trim()).filter(Boolean)
  const body = {
    slug: draft.slug.trim(),
    categoryId: draft.categoryId === '' ? undefined : draft.categoryId,
    name: draft.name,
    description: draft.description,
    priceMinor: priceMinor ?? 0,
    compareAtPriceMinor,
    attributes: draft.attributes.map((a) => ({ key: a.key.trim(), name: a.name, value: a.value })),
    tags,
    options,
    isActive: draft.isActive,
    // The server's PATCH schema fills omitted fields with their create-time defaults (images [], position 0…),
    // so an edit always sends what it does not show, unchanged.
    images: existing?.images ?? [],
    position: existing?.position ?? 0,
    currency,
    ...(existing ? {} : { stock: draft.stock }),
  }
  // An edit sends no stock (it changes through stock adjustments); the schema's default stands in.
  const parsed = ProductInputSchema.safeParse(body)
  if (!parsed.success) issues.push(...parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })))
  return issues.length ? { issues } : { body, issues }
}
