import type { AdminSessionResponse } from '#shared/schemas/auth'
import type { Permission } from '#shared/permissions'
import type { AdminApiError } from './api'
import { detectTelegramInitData, setCsrfToken, useAdminApi } from './api'
import { useAdminI18n } from './i18n'

type SessionState = { status: 'unknown' | 'loading' | 'signed-in' | 'signed-out' | 'error'; data: AdminSessionResponse | null; error: AdminApiError | null }

/**
 * Who is signed in to /admin: `GET /api/auth/session` answers for the cookie session and for
 * initData alike, with roles, permissions (from shared/permissions.ts) and the CSRF token.
 */
export function useAdminSession() {
  const state = useState<SessionState>('admin-session', () => ({ status: 'unknown', data: null, error: null }))
  const api = useAdminApi()
  const { adoptUserLocale } = useAdminI18n()

  function accept(data: AdminSessionResponse) {
    setCsrfToken(data.csrfToken)
    state.value = { status: 'signed-in', data, error: null }
    adoptUserLocale(data.user.locale)
  }

  async function load() {
    state.value = { ...state.value, status: 'loading' }
    await detectTelegramInitData()
    try {
      accept(await api.get<AdminSessionResponse>('/api/auth/session'))
    } catch (error) {
      const e = error as AdminApiError
      state.value = { status: e.status === 401 ? 'signed-out' : 'error', data: null, error: e }
    }
  }

  /** Exchanges the bot's one-time link token for the session cookie. */
  async function signInWithToken(token: string) {
    accept(await api.post<AdminSessionResponse>('/api/auth/admin-link', { token }))
  }

  async function signOut() {
    try {
      await api.post('/api/auth/logout')
    } finally {
      setCsrfToken(null)
      state.value = { status: 'signed-out', data: null, error: null }
    }
  }

  const can = (permission: Permission) => state.value.data?.permissions.includes(permission) ?? false
  const user = computed(() => state.value.data?.user ?? null)
  const roles = computed(() => state.value.data?.roles ?? [])
  const displayName = computed(() => (user.value ? [user.value.firstName, user.value.lastName].filter(Boolean).join(' ') : ''))
  return { state, load, signInWithToken, signOut, can, user, roles, displayName }
}
