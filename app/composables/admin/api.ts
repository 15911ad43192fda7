import { launchFromUrl } from '~/telegram'
import type { ApiErrorBody } from '#shared/errors'
import { useSessionStore } from '~/stores/session'

/** A failed admin API call: the server's stable `code`, its human `message` and `details` (field errors). */
export class AdminApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message)
    this.name = 'AdminApiError'
  }
}

/** How the admin proves who it is: the cookie session (desktop) or Telegram's initData (opened inside Telegram). */
const auth = { initDataRaw: null as string | null, csrfToken: null as string | null }

/** Remembers the CSRF token from `GET /api/auth/session` (or the sign-in answer) for cookie writes. */
export const setCsrfToken = (token: string | null) => (auth.csrfToken = token)

/**
 * Inside Telegram (launch params in the URL or the Mini App already started in this tab) the admin
 * speaks with `Authorization: tma <initData>`; on a desktop with the cookie session. The admin never
 * downloads the Telegram SDK.
 */
export async function detectTelegramInitData(): Promise<string | null> {
  const fromMiniApp = useSessionStore().initDataRaw
  if (fromMiniApp) return (auth.initDataRaw = fromMiniApp)
  // The server checks the signature on every request: the launch URL is all the admin needs.
  auth.initDataRaw = launchFromUrl()?.initDataRaw ?? null
  return auth.initDataRaw
}

export const signedInViaTelegram = () => auth.initDataRaw !== null

function toAdminApiError(error: unknown): AdminApiError {
  const fetchError = error as { response?: { status: number }; data?: Partial<ApiErrorBody>; message?: string }
  if (fetchError?.response) {
    const body = fetchError.data
    return new AdminApiError(body?.code ?? 'unknown', fetchError.response.status, body?.message ?? 'Error', body?.details, body?.requestId)
  }
  return new AdminApiError('network', 0, (error as Error)?.message ?? 'Network error')
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'
type Query = Record<string, string | number | undefined | null>

/** Drops empty filters so URLs stay clean and the server's schemas see only what was set. */
export function cleanQuery(query: Query = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [k, String(v)]))
}

/** A same-origin URL with the query, for downloads (CSV export) the browser fetches itself with the cookie. */
export const adminUrl = (path: string, query?: Query) => {
  const qs = new URLSearchParams(cleanQuery(query)).toString()
  return qs ? `${path}?${qs}` : path
}

/**
 * The one client for /api/admin/** and /api/auth/**: cookie credentials plus `X-CSRF-Token` on
 * writes, or `Authorization: tma` inside Telegram; failures become AdminApiError.
 */
export function useAdminApi() {
  async function request<T>(method: Method, path: string, options: { body?: unknown; query?: Query; headers?: Record<string, string> } = {}): Promise<T> {
    const headers: Record<string, string> = { ...options.headers }
    if (auth.initDataRaw) headers.Authorization = `tma ${auth.initDataRaw}`
    else if (method !== 'GET' && auth.csrfToken) headers['X-CSRF-Token'] = auth.csrfToken
    try {
      return (await $fetch(path, { method, headers, body: options.body as BodyInit | Record<string, unknown> | undefined, query: cleanQuery(options.query), credentials: 'same-origin', retry: 0 })) as T
    } catch (raw) {
      throw toAdminApiError(raw)
    }
  }
  return {
    get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
    post: <T>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>('POST', path, { body, headers }),
    patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
    del: <T>(path: string) => request<T>('DELETE', path),
    /** Sends a file's text as the raw body (CSV import). */
    postText: <T>(path: string, text: string, contentType = 'text/csv') => request<T>('POST', path, { body: text, headers: { 'Content-Type': contentType } }),
    /** Sends multipart form data (image upload). */
    postForm: <T>(path: string, form: FormData) => request<T>('POST', path, { body: form }),
    /** Downloads a file with the same credentials and saves it under the server's file name. */
    async download(path: string, query?: Query) {
      const headers: Record<string, string> = auth.initDataRaw ? { Authorization: `tma ${auth.initDataRaw}` } : {}
      const res = await fetch(adminUrl(path, query), { headers, credentials: 'same-origin' })
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as Partial<ApiErrorBody>
        throw new AdminApiError(body.code ?? 'unknown', res.status, body.message ?? res.statusText)
      }
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'export.csv'
      const link = document.createElement('a')
      link.href = URL.createObjectURL(await res.blob())
      link.download = name
      link.click()
      setTimeout(() => URL.revokeObjectURL(link.href), 1000)
    },
  }
}

/**
 * Server data for an admin screen from one request: `load()` (again at will) with loading and error
 * state; `data` can also be set by the caller (e.g. from a write's answer).
 */
export function useAdminLoader<T>(request: () => Promise<T>, initial: T) {
  const data = ref(initial) as Ref<T>
  const loading = ref(false)
  const error = ref<AdminApiError | null>(null)
  async function load() {
    loading.value = true
    error.value = null
    try {
      data.value = await request()
    } catch (e) {
      error.value = e as AdminApiError
    } finally {
      loading.value = false
    }
  }
  return { data, loading, error, load }
}

/** A list loaded from one admin endpoint (`{ items }`), with loading and error state and a reload. */
export function useList<T>(path: string) {
  const api = useAdminApi()
  const { data: items, ...state } = useAdminLoader(async () => (await api.get<{ items: T[] }>(path)).items, [] as T[])
  return { items, ...state }
}
