import type { InternalApi } from 'nitropack/types'

export type BookingService = InternalApi['/api/booking/services/:slug']['get']
export type BookingServiceItem = InternalApi['/api/booking/services']['get'][number]
export type SlotDays = InternalApi['/api/booking/slots']['get']
export type BookingSlot = SlotDays['days'][number]['slots'][number]
export type BookingDetail = InternalApi['/api/booking/bookings/:id']['get']
export type BookingListItem = InternalApi['/api/booking/bookings']['get'][number]

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
