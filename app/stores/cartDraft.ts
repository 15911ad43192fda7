import { defineStore } from 'pinia'
import { useSessionStore } from './session'

/** What the customer typed on the checkout screen: nothing here comes from the server. */
export interface CheckoutDraft {
  /** `telegram_shipping`: a courier to the address typed in Telegram's payment form (paid in Telegram). */
  method: 'pickup' | 'courier' | 'telegram_shipping'
  pickupPointId: number | null
  zoneId: number | null
  /** A saved address picked from the list, or null for the typed one below. */
  addressId: number | null
  address: { text: string; apartment: string; entrance: string; floor: string; comment: string }
  saveAddress: boolean
  name: string
  phone: string
  comment: string
  paymentMethod: 'cash_on_delivery' | 'card_on_delivery' | 'telegram'
}

/** Per Telegram user: a shared device (or the sandbox switching people) never mixes two drafts. */
const storageKey = (userId: number | undefined) => `tma:checkout-draft:${userId ?? 'anonymous'}`
const blank = (): CheckoutDraft => ({
  method: 'pickup',
  pickupPointId: null,
  zoneId: null,
  addressId: null,
  address: { text: '', apartment: '', entrance: '', floor: '', comment: '' },
  saveAddress: true,
  name: '',
  phone: '',
  comment: '',
  paymentMethod: 'telegram',
})

function restore(key: string): { form: CheckoutDraft; idempotencyKey: string | null; dirty: boolean; paymentPicked: boolean } | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(key) ?? 'null')
    return saved?.form ? { form: { ...blank(), ...saved.form }, idempotencyKey: saved.idempotencyKey ?? null, dirty: Boolean(saved.dirty), paymentPicked: Boolean(saved.paymentPicked) } : null
  } catch {
    return null
  }
}

/**
 * The checkout draft and its idempotency key, kept in sessionStorage so a reload, a lost answer or
 * an error never loses what was typed, and a retry of the same attempt never makes a second order.
 */
export const useCartDraftStore = defineStore('cartDraft', () => {
  const key = storageKey(useSessionStore().me?.user.id)
  const saved = import.meta.client ? restore(key) : null
  const form = ref<CheckoutDraft>(saved?.form ?? blank())
  /** One key per checkout attempt: created on the first "Place order", dropped once an order exists. */
  const idempotencyKey = ref<string | null>(saved?.idempotencyKey ?? null)
  /** The customer changed something that an accidental close would lose. */
  const dirty = ref(saved?.dirty ?? false)
  /** The payment method is the customer's own choice (a tap), not the screen's first suggestion. */
  const paymentPicked = ref(saved?.paymentPicked ?? false)

  if (import.meta.client) {
    watch([form, idempotencyKey, dirty, paymentPicked], () => sessionStorage.setItem(key, JSON.stringify({ form: form.value, idempotencyKey: idempotencyKey.value, dirty: dirty.value, paymentPicked: paymentPicked.value })), { deep: true })
  }
  const keyForAttempt = () => (idempotencyKey.value ??= newIdempotencyKey())
  /** The order exists: the next checkout is a new attempt; the contact stays for next time. */
  function orderPlaced() {
    const { name, phone, paymentMethod, method, pickupPointId, zoneId } = form.value
    form.value = { ...blank(), name, phone, paymentMethod, method, pickupPointId, zoneId }
    idempotencyKey.value = null
    dirty.value = false
  }
  return { form, idempotencyKey, dirty, paymentPicked, keyForAttempt, orderPlaced }
})
