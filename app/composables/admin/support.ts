import { useSessionStore } from '~/stores/session'

/** While the live stream is down, the screens re-read this often instead. */
const FALLBACK_MS = 10_000
/** Reconnect delays after the stream broke: 1 s, 2 s, 4 s ... up to 30 s. */
const RECONNECT_MAX_MS = 30_000

/** One Server-Sent Event as the stream sends it. */
interface StreamEvent {
  id?: string
  event: string
  data: string
}

/** Splits an SSE body into events (`event:`, `data:`, `id:` lines; a blank line ends one; `:` lines are comments). */
export function parseEventStream(buffer: string): { events: StreamEvent[]; rest: string } {
  const events: StreamEvent[] = []
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n')
  const rest = blocks.pop() ?? ''
  for (const block of blocks) {
    const event: StreamEvent = { event: 'message', data: '' }
    const data: string[] = []
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon === -1 ? line : line.slice(0, colon)
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
      if (field === 'event') event.event = value
      else if (field === 'data') data.push(value)
      else if (field === 'id') event.id = value
    }
    event.data = data.join('\n')
    if (data.length || event.event !== 'message') events.push(event)
  }
  return { events, rest }
}

/**
 * Live support screens: listens to `GET /api/admin/support/events` (Server-Sent Events, read with
 * fetch so the Telegram init data goes in the Authorization header as on every other call) and
 * calls `onChange` with the conversations that changed, or `'all'` after a reconnect (something
 * may have been missed). While the stream is down it re-reads every 10 s and reconnects with
 * backoff, sending the last event id.
 */
export function useSupportLive(onChange: (ids: number[] | 'all') => unknown) {
  const session = useSessionStore()
  const connected = ref(false)
  let stopped = false
  let controller: AbortController | undefined
  let lastEventId: string | undefined
  let fallback: ReturnType<typeof setInterval> | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0

  async function connect() {
    controller = new AbortController()
    const headers: Record<string, string> = { Accept: 'text/event-stream' }
    if (session.initDataRaw) headers.Authorization = `tma ${session.initDataRaw}`
    if (lastEventId) headers['Last-Event-ID'] = lastEventId
    try {
      const res = await fetch('/api/admin/support/events', { headers, credentials: 'same-origin', signal: controller.signal, cache: 'no-store' })
      if (!res.ok || !res.body) throw new Error(`live updates answered ${res.status}`)
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        const parsed = parseEventStream(buffer + value)
        buffer = parsed.rest
        for (const event of parsed.events) {
          if (event.id) lastEventId = event.id
          if (event.event === 'ready') {
            const first = !connected.value && attempt === 0 && !JSON.parse(event.data || '{}').resync
            connected.value = true
            attempt = 0
            if (!first) void onChange('all')
          } else if (event.event === 'change') {
            const ids = (JSON.parse(event.data) as { ids: number[] }).ids
            void onChange(ids.includes(-1) ? 'all' : ids)
          }
        }
      }
    } catch {
      // Aborted on leaving the screen, or the network/server broke it: reconnect below.
    }
    connected.value = false
    if (stopped) return
    attempt++
    retryTimer = setTimeout(() => void connect(), Math.min(RECONNECT_MAX_MS, 1000 * 2 ** Math.min(attempt - 1, 5)))
  }

  onMounted(() => {
    void connect()
    fallback = setInterval(() => {
      if (!connected.value && document.visibilityState === 'visible') void onChange('all')
    }, FALLBACK_MS)
  })
  onBeforeUnmount(() => {
    stopped = true
    controller?.abort()
    clearInterval(fallback)
    clearTimeout(retryTimer)
  })
  return { connected }
}

/** Minutes between two moments, for SLA timers (first response, resolution). */
export const minutesBetween = (from: string | Date, to: string | Date | null | undefined) => Math.max(0, Math.round(((to ? new Date(to) : new Date()).getTime() - new Date(from).getTime()) / 60_000))
