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
