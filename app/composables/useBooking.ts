import type { InternalApi } from 'nitropack/types'
import type { ShallowRef } from 'vue'
import { startSdk, telegram } from '~/telegram'
import type { InvoiceOutcome } from '~/telegram/sdk'

export type BookingService = InternalApi['/api/booking/services/:slug']['get']
export type BookingServiceItem = InternalApi['/api/booking/services']['get'][number]
export type SlotDays = InternalApi['/api/booking/slots']['get']
export type BookingSlot = SlotDays['days'][number]['slots'][number]
export type BookingDetail = InternalApi['/api/booking/bookings/:id']['get']
export type BookingListItem = InternalApi['/api/booking/bookings']['get'][number]
export type WaitlistEntry = InternalApi['/api/booking/waitlist']['get'][number]

/** Every bookable service, for the switcher at the top of the booking screen. */
export function useBookingServices() {
  const api = useApi()
  return useResource(() => api.get<BookingServiceItem[]>('/api/booking/services'))
}

/** One service with who performs it, and its free slots for a month from today (per business day). */
export function useBookingSlots(slug: () => string, resource: () => number | null) {
  const api = useApi()
  const service = useResource(() => api.get<BookingService>(`/api/booking/services/${encodeURIComponent(slug())}`), { watch: [slug] })
  const slots = useResource(
    () => {
      const query = new URLSearchParams({ service: slug(), days: '31' })
      if (resource() !== null) query.set('resource', String(resource()))
      return api.get<SlotDays>(`/api/booking/slots?${query}`)
    },
    { watch: [slug, resource] },
  )
  return { service, slots }
}

/** A key per attempt: a retried hold after a lost answer returns the same booking. */
const newKey = () => (globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`).replace(/[^A-Za-z0-9_.:-]/g, '')

/** Holds a slot (or moves an existing booking to it); the ApiError tells `slot_taken` with its alternatives. */
export function useBookSlot() {
  const api = useApi()
  const busy = ref(false)
  const error = shallowRef<ApiError | null>(null)
  async function run<T>(call: () => Promise<T>) {
    busy.value = true
    error.value = null
    try {
      return await call()
    } catch (e) {
      error.value = asApiError(e)
      return null
    } finally {
      busy.value = false
    }
  }
  const hold = (serviceId: number, slot: BookingSlot, resourceId: number | null) =>
    run(() => api.postWith<BookingDetail>('/api/booking/bookings', { serviceId, startsAt: slot.startsAt, ...(resourceId !== null ? { resourceId } : {}) }, { 'Idempotency-Key': newKey() }))
  const reschedule = (bookingId: number, slot: BookingSlot, resourceId: number | null) =>
    run(() => api.post<BookingDetail>(`/api/booking/bookings/${bookingId}/reschedule`, { startsAt: slot.startsAt, ...(resourceId !== null ? { resourceId } : {}) }))
  return { busy, error, hold, reschedule }
}

/** One of the customer's bookings, with confirm and cancel. */
export function useBooking(id: () => string) {
  const api = useApi()
  const booking = useResource(() => api.get<BookingDetail>(`/api/booking/bookings/${encodeURIComponent(id())}`), { watch: [id] })
  const acting = ref(false)
  const actionError = shallowRef<ApiError | null>(null)
  async function act(action: 'confirm' | 'cancel') {
    acting.value = true
    actionError.value = null
    try {
      booking.data.value = await api.post<BookingDetail>(`/api/booking/bookings/${encodeURIComponent(id())}/${action}`)
      return true
    } catch (e) {
      actionError.value = asApiError(e)
      return false
    } finally {
      acting.value = false
    }
  }
  return { ...booking, acting, actionError, confirm: () => act('confirm'), cancel: () => act('cancel') }
}

/** The customer's bookings, upcoming (soonest first) and past. */
export function useMyBookings() {
  const api = useApi()
  const list = useResource(() => api.get<BookingListItem[]>('/api/booking/bookings'))
  const upcoming = computed(() => (list.data.value ?? []).filter((b) => (b.status === 'confirmed' || b.status === 'held') && new Date(b.endsAt).getTime() > Date.now()).reverse())
  const past = computed(() => (list.data.value ?? []).filter((b) => !upcoming.value.includes(b)))
  return { ...list, upcoming, past }
}

/** "10:00" in the device's zone. */
export const slotTime = (iso: string | Date, locale: string) => new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })

/**
 * Paying a held booking's prepayment in Telegram: the server's invoice link opened with Telegram's
 * invoice sheet. After "paid" (or "pending") the booking is re-read every 2 s until the bot's
 * successful_payment has confirmed it.
 */
export function useBookingPayment(booking: ShallowRef<BookingDetail | null | undefined>, id: () => string) {
  const api = useApi()
  const haptics = useHaptics()
  const paying = ref(false)
  const outcome = ref<InvoiceOutcome | null>(null)
  const payError = shallowRef<ApiError | null>(null)
  const confirming = computed(() => booking.value?.status === 'held' && (outcome.value === 'paid' || outcome.value === 'pending'))
  async function refresh() {
    try {
      const fresh = await api.get<BookingDetail>(`/api/booking/bookings/${encodeURIComponent(id())}`)
      if (String(fresh.id) === id()) booking.value = fresh
    } catch {
      // The next poll tries again.
    }
  }
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => (timer = setInterval(() => void (confirming.value && refresh()), 2000)))
  onBeforeUnmount(() => clearInterval(timer))
  async function pay() {
    if (paying.value) return
    paying.value = true
    payError.value = null
    outcome.value = null
    try {
      const { link } = await api.post<{ link: string }>(`/api/booking/bookings/${encodeURIComponent(id())}/pay`)
      const sdk = telegram.value ?? ((await startSdk()) && telegram.value)
      const result: InvoiceOutcome = sdk ? await sdk.openInvoice(link) : 'unavailable'
      outcome.value = result
      if (result === 'paid') haptics.success()
      else if (result === 'failed' || result === 'unavailable') haptics.error()
      await refresh()
    } catch (e) {
      payError.value = asApiError(e)
      haptics.error()
      await refresh()
    } finally {
      paying.value = false
    }
  }
  return { paying, outcome, payError, confirming, pay }
}

/** The customer's waitlist: join for a full slot or a day, leave. */
export function useWaitlist() {
  const api = useApi()
  const list = useResource(() => api.get<WaitlistEntry[]>('/api/booking/waitlist'))
  const busy = ref(false)
  const error = shallowRef<ApiError | null>(null)
  async function join(body: { serviceId: number; resourceId?: number; startsAt?: string; day?: string }) {
    busy.value = true
    error.value = null
    try {
      const entry = await api.post<WaitlistEntry>('/api/booking/waitlist', body)
      await list.reload()
      return entry
    } catch (e) {
      error.value = asApiError(e)
      return null
    } finally {
      busy.value = false
    }
  }
  async function leave(entryId: number) {
    busy.value = true
    error.value = null
    try {
      await api.post(`/api/booking/waitlist/${entryId}/leave`)
      await list.reload()
    } catch (e) {
      error.value = asApiError(e)
    } finally {
      busy.value = false
    }
  }
  const active = computed(() => (list.data.value ?? []).filter((e) => e.status === 'waiting' || e.status === 'offered'))
  return { ...list, active, busy, error, join, leave }
}
