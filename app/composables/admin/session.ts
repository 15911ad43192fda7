import type { Permission } from '#shared/permissions'
import { ApiError } from '~/composables/useApi'
import { useSessionStore } from '~/stores/session'
import { setCsrfToken, useAdminApi, type AdminResponse } from './api'
import { useAdminI18n } from './i18n'
import { adminLaunch, insideTelegram, paintTelegramTheme } from './telegram'

type AdminSession = AdminResponse<'/api/auth/session'>
type SessionState = { status: 'unknown' | 'loading' | 'signed-in' | 'signed-out' | 'error'; data: AdminSession | null; error: ApiError | null }

/**
 * Who is signed in to /admin: `GET /api/auth/session` answers for Telegram's init data (inside
 * Telegram: the Mini App's launch, never a cookie) and for the desktop cookie session alike, with
 * roles, permissions (from shared/permissions.ts) and the CSRF token for cookie writes.
 */
export function useAdminSession() {
  const state = useState<SessionState>('admin-session', () => ({ status: 'unknown', data: null, error: null }))
  const store = useSessionStore()
  const api = useAdminApi()
  const { adoptUserLocale } = useAdminI18n()

  async function accept(data: AdminSession) {
    setCsrfToken(data.csrfToken)
    await adoptUserLocale(data.user.locale)
    state.value = { status: 'signed-in', data, error: null }
  }

  async function load() {
    state.value = { ...state.value, status: 'loading' }
    const launch = adminLaunch()
    if (launch) {
      store.initDataRaw = launch.initDataRaw
      paintTelegramTheme(launch.themeParams)
    } else if (insideTelegram()) {
      // Inside Telegram without a launch: asking the server would answer with whatever cookie this
      // browser holds, i.e. possibly someone else. Send the staff member back to the Mini App instead.
      state.value = { status: 'signed-out', data: null, error: new ApiError('telegram_relaunch', 401, 'Open /admin from the Mini App') }
      return
    }
    try {
      await accept(await api.call('/api/auth/session'))
    } catch (error) {
      const e = error as ApiError
      state.value = { status: e.status === 401 ? 'signed-out' : 'error', data: null, error: e }
    }
  }

  /** Exchanges the bot's one-time link token for the session cookie. */
  async function signInWithToken(token: string) {
    await accept(await api.call('/api/auth/admin-link', { method: 'POST', body: { token } }))
  }

  async function signOut() {
    try {
      await api.call('/api/auth/logout', { method: 'POST' })
    } finally {
      setCsrfToken(null)
      state.value = { status: 'signed-out', data: null, error: null }
    }
  }

  const can = (permission: Permission) => state.value.data?.permissions.includes(permission) ?? false
  const user = computed(() => state.value.data?.user ?? null)
  const roles = computed(() => state.value.data?.roles ?? [])
  const displayName = computed(() => (user.value ? [user.value.firstName, user.value.lastName].filter(Boolean).join(' ') : ''))
  /** Signed in by Telegram's init data: there is no cookie session to sign out of, and Telegram's Back leaves. */
  const viaTelegram = computed(() => state.value.data?.via === 'tma')
  return { state, load, signInWithToken, signOut, can, user, roles, displayName, viaTelegram }
}
