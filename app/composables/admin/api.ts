import type { InternalApi } from 'nitropack/types'
import type { ApiErrorBody } from '#shared/errors'
import { ApiError, useApi } from '~/composables/useApi'
import { useSessionStore } from '~/stores/session'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'
type Route = keyof InternalApi
/** The `:name` parameters of a route pattern: `/api/admin/orders/:id/status` -> `id`. */
type RouteParams<R extends string> = R extends `${string}:${infer P}/${infer Rest}` ? P | RouteParams<`/${Rest}`> : R extends `${string}:${infer P}` ? P : never
/** What a call carries besides its route: body, query (empty values dropped), headers. */
interface ApiRequest {
  body?: unknown
  query?: Record<string, unknown>
  headers?: Record<string, string>
}
type CallOptions<R extends string, M extends Method> = ApiRequest & { method?: M } & ([RouteParams<R>] extends [never] ? { params?: never } : { params: Record<RouteParams<R>, string | number> })
/** What the route's handler returns for that method (Nitro's typed routes), as JSON delivers it. */
export type AdminResponse<R extends Route, M extends Method = 'GET'> = Lowercase<M> extends keyof InternalApi[R] ? InternalApi[R][Lowercase<M>] : never

/** The desktop /admin session's CSRF token (from `GET /api/auth/session` or the sign-in answer). */
let csrfToken: string | null = null
export const setCsrfToken = (token: string | null) => void (csrfToken = token)

/** `path?query` with the empty filters left out, so the server's schemas see only what was set. */
function withQuery(path: string, query: Record<string, unknown> = {}) {
  const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v != null && v !== '').map(([k, v]) => [k, String(v)])).toString()
  return search ? `${path}?${search}` : path
}

/**
 * /admin's side of the one API client (`useApi`): every call names its route by the server's own
 * pattern (`/api/admin/orders/:id`, with `params`), and its answer is typed by Nitro from that
 * route's handler, so no response type is written twice. Failures are `ApiError`s, as in the Mini App.
 */
export function useAdminApi() {
  const { request } = useApi()
  const session = useSessionStore()

  function call<R extends Route, M extends Method = 'GET'>(route: R, ...[options]: [RouteParams<R>] extends [never] ? [CallOptions<R, M>?] : [CallOptions<R, M>]): Promise<AdminResponse<R, M>> {
    const method = options?.method ?? 'GET'
    const params = (options?.params ?? {}) as Record<string, string | number>
    const path = route.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(params[name])))
    // The desktop cookie session proves a write with its CSRF token; init data (Telegram) needs none.
    const csrf: Record<string, string> = method !== 'GET' && !session.initDataRaw && csrfToken ? { 'X-CSRF-Token': csrfToken } : {}
    return request(method, withQuery(path, options?.query), options?.body, { ...options?.headers, ...csrf })
  }

  /** Downloads a file (CSV) with the same credentials and saves it under the server's file name. */
  async function download(path: string, query: Record<string, unknown> = {}) {
    const headers: Record<string, string> = session.initDataRaw ? { Authorization: `tma ${session.initDataRaw}` } : {}
    const res = await fetch(withQuery(path, query), { headers, credentials: 'same-origin' }).catch((e: Error) => {
      throw new ApiError('network', 0, e.message)
    })
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as Partial<ApiErrorBody>
      throw new ApiError(body.code ?? 'unknown', res.status, body.message ?? res.statusText, body.requestId)
    }
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'export.csv'
    const link = document.createElement('a')
    link.href = URL.createObjectURL(await res.blob())
    link.download = name
    link.click()
    setTimeout(() => URL.revokeObjectURL(link.href), 1000)
  }

  return { call, download }
}
