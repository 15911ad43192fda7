/**
 * The Mini App's way to Telegram, in two steps so the first screen never waits for the tma.js SDK
 * (~25 KB gz, more than a quarter of the launch):
 *
 * 1. `launchFromUrl()` reads the launch parameters Telegram put in the URL (signed init data, start
 *    param, theme) and paints Telegram's theme colours: enough to sign in and show the first screen.
 * 2. `startSdk()` loads the SDK (`./sdk`, the only module that imports it) once the first screen has
 *    its content, validates the launch there, and mounts theme, viewport, buttons and behaviours.
 *    `telegram` holds it from then on; composables react to it, and do nothing until it is there.
 *
 * When the URL has no launch data (a reload after in-app navigation, where the SDK's stored copy
 * answers), the shell awaits `startSdk()` before anything else.
 */
import { shallowRef, watch } from 'vue'
import type { TelegramLaunch } from './sdk'

export type TelegramSdk = typeof import('./sdk')
export type { TelegramLaunch }

/** The started SDK, or null until it has loaded (and always null outside Telegram). */
export const telegram = shallowRef<TelegramSdk | null>(null)

let started: Promise<TelegramLaunch | null> | null = null

/** Loads and starts the SDK once; resolves to the launch it validated (null outside Telegram). */
export function startSdk(): Promise<TelegramLaunch | null> {
  started ??= import('./sdk').then(async (sdk) => {
    const launch = await sdk.startTelegram()
    if (launch) telegram.value = sdk
    return launch
  })
  return started
}

/** Runs `fn` with the SDK now if it has started, else as soon as it does (never outside Telegram). */
export function withTelegram(fn: (sdk: TelegramSdk) => void): void {
  if (telegram.value) return fn(telegram.value)
  const stop = watch(telegram, (sdk) => {
    if (!sdk) return
    stop()
    fn(sdk)
  })
}

/**
 * The launch URL's fragment as Telegram opened the page. Read from the navigation entry: by the time
 * the shell runs, the router has rewritten `location.hash` with its percent-escapes decoded.
 */
function launchFragment(): URLSearchParams {
  const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
  const url = entry?.name ?? window.location.href
  return new URLSearchParams(url.includes('#') ? url.slice(url.indexOf('#') + 1) : '')
}

/**
 * The launch as the first screen needs it, straight from `#tgWebAppData=...` (Telegram's launch URL);
 * null when the URL carries none. The server checks the init data's signature on every request, so
 * nothing here is trusted; the SDK re-reads and validates the same parameters when it starts.
 */
export function launchFromUrl(): TelegramLaunch | null {
  const params = launchFragment()
  const initDataRaw = params.get('tgWebAppData')
  if (!initDataRaw) return null
  const data = new URLSearchParams(initDataRaw)
  let user: { id?: unknown; language_code?: unknown } = {}
  try {
    user = JSON.parse(data.get('user') ?? '{}')
  } catch {}
  const authDate = Number(data.get('auth_date'))
  return {
    initDataRaw,
    userId: typeof user.id === 'number' ? user.id : null,
    startParam: params.get('tgWebAppStartParam') ?? data.get('start_param'),
    languageCode: typeof user.language_code === 'string' ? user.language_code : null,
    authDate: authDate > 0 ? new Date(authDate * 1000) : null,
    platform: params.get('tgWebAppPlatform') ?? 'unknown',
  }
}

/**
 * Paints Telegram's theme from the launch URL as the same CSS variables the SDK binds
 * (`--tg-theme-bg-color`, ...), so the first screen has the person's colours; the SDK takes them
 * over (and follows live changes) once it has started.
 */
export function paintThemeFromUrl(): void {
  const raw = launchFragment().get('tgWebAppThemeParams')
  if (!raw) return
  let theme: Record<string, unknown>
  try {
    theme = JSON.parse(raw)
  } catch {
    return
  }
  const style = document.documentElement.style
  for (const [key, value] of Object.entries(theme)) {
    if (typeof value === 'string' && /^#[0-9a-f]{3,8}$/i.test(value)) style.setProperty(`--tg-theme-${key.replace(/_/g, '-')}`, value)
  }
}

/**
 * Marks `<html data-tg-fullscreen>` when Telegram opened the app in fullscreen (`tgWebAppFullscreen=1`),
 * so the first screen keeps room for Telegram's floating controls before the SDK reports the real
 * insets; the SDK keeps the mark in step with fullscreen changes from then on.
 */
export function markFullscreenFromUrl(): void {
  document.documentElement.toggleAttribute('data-tg-fullscreen', launchFragment().get('tgWebAppFullscreen') === '1')
}
