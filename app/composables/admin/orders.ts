import { useAdminApi, useAdminLoader, type AdminApiError } from './api'
import type { AdminOrderDetail, OrderStatus, OrdersPage } from './types'

export interface OrderFilters {
  status: OrderStatus[]
  q: string
  from: string
  to: string
}

/** `YYYY-MM-DD` from a date input to the start of that local day (the server compares instants). */
export const dayStart = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined)
/** The end of a `to` day is the start of the next one: the server's `to` is exclusive. */
export const dayAfter = (day: string) => (day ? new Date(new Date(`${day}T00:00:00`).getTime() + 86_400_000).toISOString() : undefined)

/** The orders list with filters and keyset paging (`before` = the last id of the previous page). */
export function useAdminOrders(filters: Ref<OrderFilters>, pageSize = 25) {
  const api = useAdminApi()
  const page = ref<OrdersPage | null>(null)
  const loading = ref(false)
  const error = ref<AdminApiError | null>(null)
  /** Ids that started the pages seen so far, so "newer" can step back. */
  const cursors = ref<(number | undefined)[]>([undefined])

  async function load(before?: number) {
    loading.value = true
    error.value = null
    const f = filters.value
    try {
      page.value = await api.get<OrdersPage>('/api/admin/orders', { status: f.status.join(',') || undefined, q: f.q.trim() || undefined, from: dayStart(f.from), to: dayAfter(f.to), before, limit: pageSize })
    } catch (e) {
      error.value = e as AdminApiError
    } finally {
      loading.value = false
    }
  }
  const reload = () => load(cursors.value.at(-1))
  async function first() {
    cursors.value = [undefined]
    await load()
  }
  async function older() {
    if (!page.value?.nextBefore) return
    cursors.value = [...cursors.value, page.value.nextBefore]
    await load(page.value.nextBefore)
  }
  async function newer() {
    if (cursors.value.length < 2) return
    cursors.value = cursors.value.slice(0, -1)
    await load(cursors.value.at(-1))
  }
  const pageNumber = computed(() => cursors.value.length)
  return { page, loading, error, first, older, newer, reload, pageNumber }
}

/** One order and its status changes. */
export function useAdminOrder(id: Ref<number>) {
  const api = useAdminApi()
  const { data: order, loading, error, load } = useAdminLoader(() => api.get<AdminOrderDetail>(`/api/admin/orders/${id.value}`), null as AdminOrderDetail | null)
  /** Throws AdminApiError (e.g. invalid_transition with the server's message) for the caller to show. */
  async function changeStatus(status: OrderStatus, note: string) {
    order.value = await api.post<AdminOrderDetail>(`/api/admin/orders/${id.value}/status`, { status, note: note.trim() || undefined })
  }
  return { order, loading, error, load, changeStatus }
}
