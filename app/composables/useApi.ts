import type { ApiErrorBody } from '#shared/errors'
import { useSessionStore } from '~/stores/session'

/** What every failed API call becomes (Mini App and /admin alike): the server's stable `code` (or `network`), never a raw exception. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly requestId?: string,
    /** The server's `details` (e.g. `available` for insufficient_stock, the lines for cart_changed, field errors). */
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

const RETRY_DELAYS_MS = [400, 1200, 3000]
const RETRIABLE = new Set([408, 429, 500, 502, 503, 504])
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function toApiError(error: unknown): ApiError {
  const fetchError = error as { response?: { status: number }; data?: Partial<ApiErrorBody>; message?: string }
  if (fetchError?.response) {
    const body = fetchError.data
    return new ApiError(body?.code ?? 'unknown', fetchError.response.status, body?.message ?? fetchError.message ?? 'Error', body?.requestId, body?.details)
  }
  return new ApiError('network', 0, (error as Error)?.message ?? 'Network error')
}

/** Resolves when the browser says it is online again (at once when it already is). */
function untilOnline(): Promise<void> {
  if (navigator.onLine) return Promise.resolve()
  return new Promise((resolve) => window.addEventListener('online', () => resolve(), { once: true }))
}

const inFlight = ref(0)
/** Whether any API request is under way (the shell starts non-urgent work once the first screen's are done). */
export const apiBusy = computed(() => inFlight.value > 0)

/**
 * The one API client, for the Mini App and /admin (`useAdminApi` builds on `request`): adds
 * `Authorization: tma <initDataRaw>` whenever the session has Telegram's launch data, turns failures
 * into ApiError, and retries safe (GET) requests with backoff on network errors and 408/429/5xx.
 */
export function useApi() {
  const session = useSessionStore()
  async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
    const headers: Record<string, string> = { ...extraHeaders, ...(session.initDataRaw ? { Authorization: `tma ${session.initDataRaw}` } : {}) }
    const attempts = method === 'GET' ? RETRY_DELAYS_MS.length + 1 : 1
    inFlight.value++
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await $fetch<T, string>(path, { method, headers, body: body as Record<string, unknown> | undefined, retry: 0 })
        } catch (raw) {
          const error = toApiError(raw)
          const retriable = error.code === 'network' || RETRIABLE.has(error.status)
          if (!retriable || attempt >= attempts) throw error
          await untilOnline()
          await sleep(RETRY_DELAYS_MS[attempt - 1]!)
        }
      }
    } finally {
      inFlight.value--
    }
  }
  return {
    request,
    get: <T>(path: string) => request<T>('GET', path),
    post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
    patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
    delete: <T>(path: string) => request<T>('DELETE', path),
    /** A POST with extra headers, e.g. `Idempotency-Key` for placing an order. */
    postWith: <T>(path: string, body: unknown, headers: Record<string, string>) => request<T>('POST', path, body, headers),
  }
}
