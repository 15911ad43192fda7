/**
 * How the open support screen looks for an operator's answer: polling with backoff. 2 s after
 * something happened (a message sent, an answer seen), then 1.5 times longer each quiet read, up
 * to 15 s while a conversation is going and 60 s without one; paused while the app is hidden and
 * read at once when it shows again. (Polling rather than a stream: the Mini App authenticates
 * each call with init data in a header, the answer also arrives in the chat itself, and Telegram
 * suspends hidden WebViews, which would drop a stream anyway.)
 */
const POLL_MIN_MS = 2000
const POLL_ACTIVE_MAX_MS = 15_000
const POLL_IDLE_MAX_MS = 60_000

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
  let delay = POLL_MIN_MS
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  const fingerprint = (t: SupportThread | null | undefined) => (t ? `${t.conversation?.id}:${t.conversation?.status}:${t.conversation?.rating}:${t.messages.at(-1)?.id}:${t.messages.length}` : '')
  function schedule() {
    clearTimeout(timer)
    if (stopped || document.visibilityState === 'hidden') return
    timer = setTimeout(() => void refresh().finally(schedule), delay)
  }
  const onVisibility = () => {
    if (document.visibilityState !== 'visible') return clearTimeout(timer)
    delay = POLL_MIN_MS
    void refresh().finally(schedule)
  }
  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibility)
    schedule()
  })
  onBeforeUnmount(() => {
    stopped = true
    clearTimeout(timer)
    document.removeEventListener('visibilitychange', onVisibility)
  })

  async function refresh() {
    try {
      const before = fingerprint(thread.data.value)
      thread.data.value = await api.get<SupportThread>('/api/support/conversation')
      const going = thread.data.value.conversation && thread.data.value.conversation.status !== 'closed'
      delay = fingerprint(thread.data.value) !== before ? POLL_MIN_MS : Math.min(Math.round(delay * 1.5), going ? POLL_ACTIVE_MAX_MS : POLL_IDLE_MAX_MS)
    } catch {
      delay = Math.min(delay * 2, POLL_IDLE_MAX_MS)
    }
  }

  async function send(text: string, context: { articleSlug?: string; orderId?: number } = {}) {
    if (pending?.text !== text) pending = { text, key: crypto.randomUUID() }
    sending.value = true
    sendError.value = null
    try {
      await api.postWith('/api/support/messages', { text, ...context }, { 'Idempotency-Key': pending.key })
      pending = null
      await refresh()
      delay = POLL_MIN_MS
      schedule()
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
