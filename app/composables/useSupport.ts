/** How often the open support screen looks for an operator's answer. */
const THREAD_POLL_MS = 5000

/** The answer base searched as the customer types (a short pause first, later answers win). */
export function useArticleSearch() {
  const api = useApi()
  const query = ref('')
  const debounced = ref('')
  let timer: ReturnType<typeof setTimeout> | undefined
  watch(query, (q) => {
    clearTimeout(timer)
    timer = setTimeout(() => (debounced.value = q.trim()), 250)
  })
  const list = useResource(async () => (await api.get<{ items: SupportArticleItem[] }>(`/api/support/articles${debounced.value ? `?q=${encodeURIComponent(debounced.value.slice(0, 100))}` : ''}`)).items, { watch: [debounced] })
  return { query, ...list }
}

/**
 * The customer's conversation with an operator: loaded, re-read every few seconds while the
 * screen is open (the answer shows up by itself), a message sent with an Idempotency-Key kept
 * across retries of the same text, and the rating after closing.
 */
export function useSupportThread() {
  const api = useApi()
  const thread = useResource(() => api.get<SupportThread>('/api/support/conversation'))
  const sending = ref(false)
  const sendError = shallowRef<ApiError | null>(null)
  let pending: { text: string; key: string } | null = null
  const timer = setInterval(() => void refresh(), THREAD_POLL_MS)
  onBeforeUnmount(() => clearInterval(timer))

  async function refresh() {
    try {
      thread.data.value = await api.get<SupportThread>('/api/support/conversation')
    } catch {}
  }

  async function send(text: string, context: { articleSlug?: string; orderId?: number } = {}) {
    if (pending?.text !== text) pending = { text, key: crypto.randomUUID() }
    sending.value = true
    sendError.value = null
    try {
      await api.postWith('/api/support/messages', { text, ...context }, { 'Idempotency-Key': pending.key })
      pending = null
      await refresh()
      return true
    } catch (e) {
      sendError.value = asApiError(e)
      return false
    } finally {
      sending.value = false
    }
  }

  async function rate(rating: number, comment?: string) {
    const id = thread.data.value?.conversation?.id
    if (!id) return false
    try {
      await api.post(`/api/support/conversations/${id}/rating`, { rating, ...(comment && { comment }) })
      await refresh()
      return true
    } catch (e) {
      sendError.value = asApiError(e)
      return false
    }
  }

  return { ...thread, sending, sendError, send, rate }
}
