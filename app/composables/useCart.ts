/**
 * The server-side cart, shared by every screen (badge, product card, cart, checkout). Quantity
 * changes and removals show at once and go to the server one after another; a failure puts back
 * the last cart the server confirmed and says why.
 */
export function useCart() {
  const api = useApi()
  const { t, has } = useI18n()
  const cart = useState<Cart | null>('cart', () => null)
  const confirmed = useState<Cart | null>('cart:confirmed', () => null)
  const inFlight = useState('cart:in-flight', () => 0)
  const error = useState<ApiError | null>('cart:error', () => null)
  const notice = useState<string | null>('cart:notice', () => null)
  const loading = useState('cart:loading', () => false)

  function settle(next: Cart) {
    confirmed.value = next
    if (inFlight.value === 0) cart.value = next
  }

  async function load() {
    loading.value = true
    error.value = null
    try {
      settle(await api.get<Cart>('/api/cart'))
    } catch (e) {
      error.value = asApiError(e)
    } finally {
      loading.value = false
    }
  }
  /** Loads the cart once per launch (screens that only need the badge call this). */
  const ensure = () => (cart.value || loading.value ? Promise.resolve() : load())

  /** Adds to the cart (not optimistic: the server decides the price and may refuse). */
  async function add(productId: number, options: Record<string, string> = {}, quantity = 1) {
    const next = await api.post<Cart>('/api/cart/items', { productId, options, quantity })
    settle(next)
    return next
  }

  function reason(e: ApiError) {
    if (e.code === 'insufficient_stock') {
      const available = (e.details as { available?: number } | undefined)?.available
      if (available !== undefined) return t('cart.insufficientStock', { n: available }) + '.'
    }
    return t(has(`errors.${e.code}.title`) ? (`errors.${e.code}.title` as 'errors.unknown.title') : 'errors.unknown.title') + '.'
  }

  let queue: Promise<unknown> = Promise.resolve()
  /** Shows `optimistic` now; sends `send` after the earlier changes; rolls back on failure. */
  function mutate(optimistic: (c: Cart) => Cart, send: () => Promise<Cart>) {
    if (!cart.value) return Promise.resolve()
    cart.value = optimistic(cart.value)
    notice.value = null
    inFlight.value++
    const run = queue.then(async () => {
      try {
        const next = await send()
        inFlight.value--
        settle(next)
      } catch (e) {
        inFlight.value--
        cart.value = confirmed.value
        notice.value = t('cart.rolledBack', { reason: reason(asApiError(e)) })
        useHaptics().error()
      }
    })
    queue = run
    return run
  }

  const setQuantity = (line: CartLine, quantity: number) =>
    quantity <= 0
      ? remove(line)
      : mutate(
          (c) => recount(c, c.lines.map((l) => (l.id === line.id ? { ...l, quantity, totalMinor: l.unitPriceMinor * quantity } : l))),
          () => api.patch<Cart>(`/api/cart/items/${line.id}`, { quantity }),
        )
  const remove = (line: CartLine) =>
    mutate(
      (c) => recount(c, c.lines.filter((l) => l.id !== line.id)),
      () => api.delete<Cart>(`/api/cart/items/${line.id}`),
    )

  async function acceptPrices() {
    settle(await api.post<Cart>('/api/cart/accept-prices'))
  }

  return { cart, error, notice, loading, load, ensure, add, setQuantity, remove, acceptPrices }
}

/** Totals as the server computes them (lines with blocking problems do not count), for the optimistic view. */
function recount(cart: Cart, lines: CartLine[]): Cart {
  const orderable = lines.filter((l) => !l.problems.some((p) => p !== 'price_changed'))
  return {
    ...cart,
    lines,
    itemsTotalMinor: orderable.reduce((sum, l) => sum + l.totalMinor, 0),
    count: lines.reduce((sum, l) => sum + l.quantity, 0),
    hasProblems: lines.some((l) => l.problems.length > 0),
  }
}
