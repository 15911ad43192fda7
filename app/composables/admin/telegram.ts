import { useSessionStore } from '~/stores/session'

/** Where /admin keeps Telegram's launch for a reload inside the WebView (the tab's own storage). */
const OWN_COPY = 'tma:admin-launch'
/** Where the Mini App's SDK keeps it (tma.js: the launch query string, JSON-encoded). */
const SDK_COPY = 'tapps/launchParams'

/**
 * Inside Telegram the page runs in its WebView (the bridge object is there) or in a frame of
 * Telegram Web and of our sandbox. There, whoever Telegram launched is who signs in: a cookie left
 * by someone else's desktop session in the same browser never speaks for them.
 */
export const insideTelegram = () => 'TelegramWebviewProxy' in window || window.parent !== window

function stored(key: string): URLSearchParams | null {
  try {
    const raw = sessionStorage.getItem(key)
    return raw ? new URLSearchParams(JSON.parse(raw) as string) : null
  } catch {
    return null
  }
}

/** The launch URL's fragment as Telegram opened the page (the navigation entry keeps it after the router rewrote the address). */
function urlLaunch(): URLSearchParams | null {
  const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
  const url = entry?.name ?? window.location.href
  return new URLSearchParams(url.includes('#') ? url.slice(url.indexOf('#') + 1) : '')
}

/** A launch's time (init data's `auth_date`), to tell a fresh copy from an older one. */
const launchedAt = (launch: URLSearchParams | null) => Number(new URLSearchParams(launch?.get('tgWebAppData') ?? '').get('auth_date') ?? 0)

/**
 * Telegram's launch for /admin: the Mini App already started in this tab (the staff member tapped
 * the admin entry), else the newest of the launch URL (`#tgWebAppData=…`) and the copies kept for
 * a reload (ours, the SDK's). Null outside Telegram. The server checks the init data on every
 * request, so nothing here is trusted; the copy is the tab's only (sessionStorage) and expires with
 * the init data itself (INIT_DATA_MAX_AGE).
 */
export function adminLaunch(): { initDataRaw: string; themeParams: string | null } | null {
  if (!insideTelegram()) return null
  const session = useSessionStore()
  const newest = [urlLaunch(), stored(OWN_COPY), stored(SDK_COPY)].filter((l) => l?.get('tgWebAppData')).sort((a, b) => launchedAt(b) - launchedAt(a))[0] ?? null
  const initDataRaw = session.initDataRaw ?? newest?.get('tgWebAppData') ?? null
  if (!initDataRaw) return null
  const themeParams = newest?.get('tgWebAppThemeParams') ?? null
  try {
    sessionStorage.setItem(OWN_COPY, JSON.stringify(new URLSearchParams({ tgWebAppData: initDataRaw, ...(themeParams ? { tgWebAppThemeParams: themeParams } : {}) }).toString()))
  } catch {}
  return { initDataRaw, themeParams }
}

/**
 * Telegram's colours as the same CSS variables the SDK binds (`--tg-theme-bg-color`, ...), for an
 * /admin page loaded inside Telegram without the Mini App before it; `<html>` gets Telegram's
 * light or dark scheme from the background's brightness.
 */
export function paintTelegramTheme(themeParams: string | null): void {
  const style = document.documentElement.style
  let theme: Record<string, unknown> = {}
  try {
    theme = themeParams ? JSON.parse(themeParams) : {}
  } catch {}
  for (const [key, value] of Object.entries(theme)) {
    const name = `--tg-theme-${key.replace(/_/g, '-')}`
    if (typeof value === 'string' && /^#[0-9a-f]{6}$/i.test(value) && !style.getPropertyValue(name)) style.setProperty(name, value)
  }
  const bg = style.getPropertyValue('--tg-theme-bg-color').trim()
  if (/^#[0-9a-f]{6}$/i.test(bg)) {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(bg.slice(i, i + 2), 16))
    style.setProperty('color-scheme', 0.299 * r! + 0.587 * g! + 0.114 * b! < 128 ? 'dark' : 'light')
  }
}
