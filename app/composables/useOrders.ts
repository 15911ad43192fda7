import type { ShallowRef } from 'vue'
import { startSdk, telegram } from '~/telegram'
import type { InvoiceOutcome } from '~/telegram/sdk'

/** The customer's orders, newest first. */
export function useOrderList() {
  const api = useApi()
  return useResource(async () => (await api.get<{ items: Order[] }>('/api/orders')).items)
}

/** One order with its timeline, and the customer's cancel while nobody has started on it. */
export function useOrder(id: () => string) {
  const api = useApi()
  const order = useResource(() => api.get<OrderDetail>(`/api/orders/${encodeURIComponent(id())}`), { watch: [id] })
  const cancelling = ref(false)
  const cancelError = shallowRef<ApiError | null>(null)
  async function cancel() {
    cancelling.value = true
    cancelError.value = null
    try {
      order.data.value = await api.post<OrderDetail>(`/api/orders/${encodeURIComponent(id())}/cancel`)
      return true
    } catch (e) {
      cancelError.value = asApiError(e)
      return false
    } finally {
      cancelling.value = false
    }
  }
  return { ...order, cancelling, cancelError, cancel }
}

/** The payment window the server gives an order awaiting payment (the fallback when it sends no deadline). */
const PAYMENT_WINDOW_MS = 30 * 60_000
const POLL_MS = 2000
/** After Telegram said paid or pending, how long the Pay button stays away while the bot confirms (a second payment would only be refunded). */
const CONFIRMING_MS = 3 * 60_000

/**
 * Paying an order awaiting payment in Telegram: asks the server for the invoice link, opens it with
 * Telegram's invoice sheet and reacts to how it was closed. While the order awaits payment (within
 * its payment window) the order is re-read every 2 s, so the bot's confirmation shows up by itself.
 */
export function useOrderPayment(order: ShallowRef<OrderDetail | null>, id: () => string) {
  const api = useApi()
  const haptics = useHaptics()
  const paying = ref(false)
  const outcome = ref<InvoiceOutcome | null>(null)
  const outcomeAt = ref(0)
  const payError = shallowRef<ApiError | null>(null)
  const now = ref(Date.now())
  const awaiting = computed(() => order.value?.status === 'awaiting_payment')
  const payBefore = computed(() => {
    const o = order.value
    if (!o) return 0
    return o.reservedUntil ? new Date(o.reservedUntil).getTime() : new Date(o.createdAt).getTime() + PAYMENT_WINDOW_MS
  })
  /** Telegram took the money (or is still taking it): the order turns paid when the bot confirms. */
  const confirming = computed(() => awaiting.value && (outcome.value === 'paid' || outcome.value === 'pending') && now.value - outcomeAt.value < CONFIRMING_MS)
  const minutesLeft = computed(() => Math.max(0, Math.ceil((payBefore.value - now.value) / 60_000)))
  const path = () => `/api/orders/${encodeURIComponent(id())}`

  /** A quiet re-read: a failed poll keeps what is on screen. */
  async function refresh() {
    try {
      const fresh = await api.get<OrderDetail>(path())
      if (String(fresh.id) === id()) order.value = fresh
    } catch {
      // The next poll tries again.
    }
  }

  let timer: ReturnType<typeof setInterval> | undefined
  let polling = false
  async function tick() {
    now.value = Date.now()
    // A little past the window too: the server cancels the order then, and the screen should say so.
    if (!awaiting.value || polling || now.value > payBefore.value + 2 * POLL_MS) return
    polling = true
    await refresh()
    polling = false
  }
  onMounted(() => (timer = setInterval(tick, POLL_MS)))
  onBeforeUnmount(() => clearInterval(timer))

  async function pay() {
    if (paying.value || !awaiting.value) return
    paying.value = true
    payError.value = null
    outcome.value = null
    try {
      const { link } = await api.post<{ link: string }>(`${path()}/invoice`)
      // A pay tap right at launch may come before the SDK has started: wait for it.
      const sdk = telegram.value ?? ((await startSdk()) && telegram.value)
      const result: InvoiceOutcome = sdk ? await sdk.openInvoice(link) : 'unavailable'
      outcome.value = result
      outcomeAt.value = Date.now()
      if (result === 'paid') haptics.success()
      else if (result === 'failed' || result === 'unavailable') haptics.error()
      await refresh()
    } catch (e) {
      payError.value = asApiError(e)
      haptics.error()
      // Expired or already paid/cancelled: show the order as it is now.
      await refresh()
    } finally {
      paying.value = false
    }
  }

  return { paying, outcome, payError, awaiting, confirming, minutesLeft, payBefore, pay }
}
