/**
 * The Telegram Mini App bridge, small enough for the 90 KB budget (DESIGN.md "Front end").
 * @tma.js/sdk brought ~18 KB gz (valibot, fp-ts, every component Telegram has); we use a dozen
 * methods, so this speaks Telegram's documented protocol (core.telegram.org/api/web-events)
 * directly: the app posts `web_app_*` methods to the client and listens for its events.
 */

export type EventPayload = Record<string, unknown>
type Listener = (payload: EventPayload) => void

declare global {
  interface Window {
    TelegramWebviewProxy?: { postEvent(eventType: string, eventData: string): void }
    Telegram?: { WebView?: { receiveEvent?: (eventType: string, eventData: unknown) => void } }
    TelegramGameProxy?: { receiveEvent?: (eventType: string, eventData: unknown) => void }
    TelegramGameProxy_receiveEvent?: (eventType: string, eventData: unknown) => void
  }
}

let targetOrigin = 'https://web.telegram.org'
/** Where iframe messages go: Telegram Web, or our own origin when the sandbox embeds the app. */
export function setTargetOrigin(origin: string) {
  targetOrigin = origin
}

const inFrame = () => typeof window !== 'undefined' && window.parent !== window

/** Sends a method to the Telegram client: postMessage from Telegram Web's iframe, a native proxy in the apps. */
export function postEvent(eventType: string, eventData?: EventPayload) {
  if (inFrame()) {
    window.parent.postMessage(JSON.stringify({ eventType, eventData }), targetOrigin)
  } else if (window.TelegramWebviewProxy) {
    window.TelegramWebviewProxy.postEvent(eventType, JSON.stringify(eventData ?? {}))
  } else {
    throw new Error(`Not inside Telegram: cannot send ${eventType}`)
  }
}

const listeners = new Map<string, Set<Listener>>()

function emit(eventType: string, eventData: unknown) {
  let payload = eventData
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload)
    } catch {}
  }
  listeners.get(eventType)?.forEach((listener) => listener((payload ?? {}) as EventPayload))
}

/** Subscribes to a client event (`theme_changed`, `main_button_pressed`, ...); returns the unsubscribe. */
export function on(eventType: string, listener: Listener): () => void {
  if (!listeners.has(eventType)) listeners.set(eventType, new Set())
  listeners.get(eventType)!.add(listener)
  return () => void listeners.get(eventType)?.delete(listener)
}

let receiving = false
/** Native clients call window.Telegram.WebView.receiveEvent; Telegram Web posts messages to the frame. */
function receiveEvents() {
  if (receiving) return
  receiving = true
  const receive = (eventType: string, eventData: unknown) => emit(eventType, eventData)
  window.Telegram = { ...window.Telegram, WebView: { ...window.Telegram?.WebView, receiveEvent: receive } }
  window.TelegramGameProxy = { receiveEvent: receive }
  window.TelegramGameProxy_receiveEvent = receive
  window.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return
    try {
      const { eventType, eventData } = JSON.parse(event.data) as { eventType?: unknown; eventData?: unknown }
      if (typeof eventType === 'string') emit(eventType, eventData)
    } catch {}
  })
}

export interface LaunchParams {
  initDataRaw: string
  version: string
  platform: string
  themeParams: Record<string, string>
  startParam: string | null
  languageCode: string | null
  authDate: Date | null
}

const STORAGE_KEY = 'tg-launch-params'

/** A hash with launch parameters whose init data survived intact (the router may have re-encoded location.hash). */
function validLaunchHash(source: string | undefined): boolean {
  const initData = source ? new URLSearchParams(source).get('tgWebAppData') : null
  return !!initData && /(^|&)auth_date=/.test(initData) && /(^|&)hash=/.test(initData)
}

/**
 * `tgWebApp*` parameters from the current hash (a relaunch may only change the hash), the URL the
 * page was opened with (vue-router may have re-encoded location.hash), or this session (a reload).
 */
function rawLaunchParams(): string | null {
  const opened = (performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined)?.name
  for (const source of [window.location.hash.slice(1), opened?.split('#')[1]]) {
    if (source && validLaunchHash(source)) {
      sessionStorage.setItem(STORAGE_KEY, source)
      return source
    }
  }
  return sessionStorage.getItem(STORAGE_KEY)
}

/** The launch parameters Telegram put in the URL, or null outside Telegram. */
export function retrieveLaunchParams(): LaunchParams | null {
  const raw = rawLaunchParams()
  if (!raw) return null
  const params = new URLSearchParams(raw)
  const initDataRaw = params.get('tgWebAppData')
  if (!initDataRaw) return null
  const initData = new URLSearchParams(initDataRaw)
  let user: { language_code?: string } = {}
  let themeParams: Record<string, string> = {}
  try {
    user = JSON.parse(initData.get('user') ?? '{}')
  } catch {}
  try {
    themeParams = JSON.parse(params.get('tgWebAppThemeParams') ?? '{}')
  } catch {}
  const authDate = Number(initData.get('auth_date'))
  return {
    initDataRaw,
    version: params.get('tgWebAppVersion') ?? '6.0',
    platform: params.get('tgWebAppPlatform') ?? 'unknown',
    themeParams,
    startParam: params.get('tgWebAppStartParam') ?? initData.get('start_param'),
    languageCode: user.language_code ?? null,
    authDate: authDate ? new Date(authDate * 1000) : null,
  }
}

let version = '6.0'
/** Bot API version of the client, from the launch parameters. */
export const clientVersion = () => version

/** `a >= b` for dotted versions ("7.10" > "7.7"). */
export function versionAtLeast(a: string, b: string): boolean {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d) return d > 0
  }
  return true
}

/**
 * Starts listening to the client and tells Telegram Web the frame is ready (it then sends theme and
 * custom styles). Call once, after the launch parameters were found.
 */
export function initBridge(launch: LaunchParams) {
  version = launch.version
  receiveEvents()
  if (!inFrame()) return
  on('set_custom_style', (payload) => {
    let style = document.getElementById('telegram-custom-styles')
    if (!style) {
      style = document.createElement('style')
      style.id = 'telegram-custom-styles'
      document.head.appendChild(style)
    }
    style.textContent = typeof payload === 'string' ? payload : ''
  })
  on('reload_iframe', () => {
    postEvent('iframe_will_reload')
    window.location.reload()
  })
  postEvent('iframe_ready', { reload_supported: true })
}
