import { CheckoutSchema } from '#shared/schemas/orders'
import { useCartDraftStore } from '~/stores/cartDraft'
import { useSessionStore } from '~/stores/session'

/** A courier quote is priced by zone; the schema still wants an address, which the quote ignores. */
const QUOTE_ADDRESS = { text: 'price by zone' }

export type CheckoutField = 'name' | 'phone' | 'address' | 'place'

/**
 * The checkout screen's logic: options from the server, the draft from the store, the server's
 * quote for the chosen delivery, validation with the same schema as the API, and placing the order
 * with the attempt's idempotency key (kept until the order exists, so a retry cannot double it).
 */
export function useCheckout() {
  const api = useApi()
  const draft = useCartDraftStore()
  const session = useSessionStore()
  const form = toRef(draft, 'form')
  const options = useResource(() => api.get<CheckoutOptions>('/api/checkout/options'))
  const quote = shallowRef<Quote | null>(null)
  const quoteError = shallowRef<ApiError | null>(null)
  const placing = ref(false)
  const placeError = shallowRef<ApiError | null>(null)
  const fieldErrors = ref<Partial<Record<CheckoutField, true>>>({})
  const cartApi = useCart()
  const cart = cartApi.cart

  /** Courier to an address typed in Telegram's payment form: offered by the business, for card payments (never Stars). */
  const telegramShipping = computed(() => !!options.data.value?.telegramShipping && cart.value?.currency !== 'XTR')
  watch(
    () => form.value.method,
    (method) => {
      if (method === 'telegram_shipping') form.value.paymentMethod = 'telegram'
    },
  )

  // Sensible first choices once the options are known; the customer's own choices are kept.
  watch(options.data, (o) => {
    if (!o) return
    const f = form.value
    if (!f.name && session.displayName) f.name = session.displayName
    if (!o.pickupPoints.some((p) => p.id === f.pickupPointId)) f.pickupPointId = o.pickupPoints[0]?.id ?? null
    if (!o.deliveryZones.some((z) => z.id === f.zoneId)) f.zoneId = o.deliveryZones[0]?.id ?? null
    if (f.addressId !== null && !o.addresses.some((a) => a.id === f.addressId)) f.addressId = null
    if (f.addressId === null && !f.address.text && o.addresses[0]) f.addressId = o.addresses[0].id
    if (f.method === 'telegram_shipping' && !telegramShipping.value) f.method = 'pickup'
    // Paying in Telegram comes first when the business takes it (the invoice opens right after
    // placing); a method the customer picked before is kept while it is still offered.
    if (!draft.paymentPicked || !choices(o).includes(f.paymentMethod)) f.paymentMethod = choices(o).includes('telegram') ? 'telegram' : (choices(o)[0] ?? 'cash_on_delivery')
  })

  /** What the server allows, paying in Telegram (an invoice opened right after placing) included; only that when Telegram collects the address. */
  const choices = (o: CheckoutOptions) => (form.value.method === 'telegram_shipping' ? o.paymentMethods.filter((m) => m === 'telegram') : o.paymentMethods)
  const paymentMethods = computed(() => (options.data.value ? choices(options.data.value) : []))

  const delivery = computed(() => {
    const f = form.value
    if (f.method === 'telegram_shipping') return { method: 'telegram_shipping' as const }
    if (f.method === 'pickup') return { method: 'pickup' as const, pickupPointId: f.pickupPointId ?? 0 }
    const saved = options.data.value?.addresses.find((a) => a.id === f.addressId)
    const typed = Object.fromEntries(Object.entries(f.address).filter(([, v]) => v.trim())) as typeof f.address
    return { method: 'courier' as const, zoneId: f.zoneId ?? 0, address: saved?.address ?? typed }
  })
  const body = computed(() => ({
    delivery: delivery.value,
    contact: { name: form.value.name, phone: form.value.phone },
    comment: form.value.comment.trim() || undefined,
    paymentMethod: form.value.paymentMethod,
    saveAddress: form.value.method === 'courier' && form.value.addressId === null && form.value.saveAddress,
  }))

  let quoteSeq = 0
  async function requote() {
    const d = delivery.value
    if ((d.method === 'pickup' && !d.pickupPointId) || (d.method === 'courier' && !d.zoneId)) return
    const id = ++quoteSeq
    try {
      const q = await api.post<Quote>('/api/checkout/quote', { delivery: d.method === 'courier' ? { ...d, address: QUOTE_ADDRESS } : d })
      if (id === quoteSeq) {
        quote.value = q
        quoteError.value = null
      }
    } catch (e) {
      if (id === quoteSeq) quoteError.value = asApiError(e)
    }
  }
  watch(() => [form.value.method, form.value.pickupPointId, form.value.zoneId, cart.value?.itemsTotalMinor, cart.value?.count], requote)
  onMounted(requote)

  const zone = computed(() => options.data.value?.deliveryZones.find((z) => z.id === form.value.zoneId))
  /** The zone's minimum not reached: the order would be refused, say so before the tap. */
  const belowMinimum = computed(() => form.value.method === 'courier' && !!zone.value && !!quote.value && quote.value.cart.itemsTotalMinor < zone.value.minOrderMinor)

  function validate(): boolean {
    const result = CheckoutSchema.safeParse(body.value)
    const errors: Partial<Record<CheckoutField, true>> = {}
    for (const issue of result.success ? [] : result.error.issues) {
      const path = issue.path.join('.')
      if (path.startsWith('contact.name')) errors.name = true
      else if (path.startsWith('contact.phone')) errors.phone = true
      else if (path.startsWith('delivery.address')) errors.address = true
      else if (path.startsWith('delivery')) errors.place = true
    }
    fieldErrors.value = errors
    return result.success
  }

  // A marked field is re-checked as the customer fixes it, so the message goes away at once.
  watch(body, () => Object.keys(fieldErrors.value).length && validate(), { deep: true })

  /** Places the order; resolves to it, or to null with the values kept and the reason shown. */
  async function place(): Promise<Order | null> {
    if (placing.value) return null
    placeError.value = null
    if (!validate()) return null
    placing.value = true
    try {
      const order = await api.postWith<Order>('/api/orders', CheckoutSchema.parse(body.value), { 'Idempotency-Key': draft.keyForAttempt() })
      draft.orderPlaced()
      return order
    } catch (e) {
      placeError.value = asApiError(e)
      if (['cart_changed', 'out_of_stock', 'insufficient_stock', 'cart_empty'].includes(placeError.value.code)) void cartApi.load()
      return null
    } finally {
      placing.value = false
    }
  }

  return { form, draft, options, paymentMethods, telegramShipping, quote, quoteError, zone, belowMinimum, placing, placeError, fieldErrors, place, requote }
}
