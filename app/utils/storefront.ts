import type { InternalApi } from 'nitropack/types'

// Response types read from the server routes themselves (Nitro's typed routes), so they never drift.
export type Category = InternalApi['/api/catalog/categories']['get']['items'][number]
export type Facets = InternalApi['/api/catalog/facets']['get']
export type ProductPage = InternalApi['/api/catalog/products']['get']
export type Product = InternalApi['/api/catalog/products/:slug']['get']
export type ProductOption = Product['options'][number]
export type Cart = InternalApi['/api/cart']['get']
export type CartLine = Cart['lines'][number]
export type CheckoutOptions = InternalApi['/api/checkout/options']['get']
export type Quote = InternalApi['/api/checkout/quote']['post']
export type Order = InternalApi['/api/orders']['get']['items'][number]
export type OrderDetail = InternalApi['/api/orders/:id']['get']
export type OrderStatus = Order['status']
export type PaymentMethod = CheckoutOptions['paymentMethods'][number]

/**
 * The unit price to show for the chosen options: base plus deltas. Display only: the server prices
 * the cart line itself and never reads this number.
 */
export function displayUnitPrice(product: Pick<Product, 'priceMinor' | 'options'>, selected: Record<string, string>): number {
  let price = product.priceMinor
  for (const option of product.options) {
    const value = option.values.find((v) => v.value === selected[option.key])
    if (value) price += value.priceDeltaMinor
  }
  return price
}

/** The choice a product card starts with: the no-surcharge value of each option (or the first one). */
export function defaultOptions(product: Pick<Product, 'options'>): Record<string, string> {
  const chosen: Record<string, string> = {}
  for (const option of product.options) {
    const value = option.values.find((v) => v.priceDeltaMinor === 0) ?? option.values[0]
    if (value) chosen[option.key] = value.value
  }
  return chosen
}

/**
 * The catalog's title and the button into it: the business's own word (trimmed), with the button
 * built around it ("Меню" -> "Открыть меню"; an abbreviation such as "SPA" keeps its capitals), or
 * the generic pair when it named none.
 */
export function catalogWords(named: string | undefined, generic: { title: string; open: string }, openNamed: (title: string) => string): { title: string; open: string } {
  const title = named?.trim()
  if (!title) return generic
  const second = title.charAt(1)
  const lower = second && second === second.toLocaleLowerCase() ? title.charAt(0).toLocaleLowerCase() + title.slice(1) : title
  return { title, open: openNamed(lower) }
}

/** A fresh idempotency key (UUID where the browser has one). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Any thrown value as an ApiError (composables keep the server's stable code for the UI). */
export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError('unknown', 0, String(error))
}
export type SupportArticleItem = InternalApi['/api/support/articles']['get']['items'][number]
export type SupportArticle = InternalApi['/api/support/articles/:slug']['get']
export type SupportThread = InternalApi['/api/support/conversation']['get']
