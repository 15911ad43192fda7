/**
 * Deep links (`t.me/<bot>/<app>?startapp=<param>`) to Mini App routes. Unknown or malformed
 * values open the home screen: a stale link must never end on an error.
 */
/** Account screens a link (a chat message about a new document) may open. */
const ACCOUNT_SCREENS = ['profile', 'history', 'documents', 'addresses', 'data']

const ROUTES: [prefix: string, route: (value: string) => string][] = [
  ['product_', (slug) => `/app/product/${slug}`],
  ['category_', (slug) => `/app/category/${slug}`],
  ['booking_', (service) => `/app/booking/${service}`],
  ['form_', (id) => `/app/forms/${id}`],
  ['order_', (id) => `/app/orders/${id}`],
  ['account_', (section) => (ACCOUNT_SCREENS.includes(section) ? `/app/account/${section}` : '/app/account')],
  ['visit_', (id) => `/app/bookings/${id}`],
  ['faq_', (slug) => `/app/support/${slug}`],
]
const VALUE = /^[A-Za-z0-9-]{1,128}$/

export function routeForStartParam(param: string | null | undefined): string {
  if (!param) return '/app'
  for (const [prefix, route] of ROUTES) {
    if (!param.startsWith(prefix)) continue
    const value = param.slice(prefix.length)
    return VALUE.test(value) ? route(value) : '/app'
  }
  return '/app'
}
