/**
 * The only module the Mini App uses to talk to Telegram. It is imported from Mini App route chunks
 * only, so the public pages and the admin never download it. The objects keep @tma.js/sdk's names
 * and call shapes (`mainButton.setParams`, `hapticFeedback.impactOccurred.ifAvailable`, ...) over
 * our own small bridge (`./bridge`), which keeps /app inside its JS budget.
 */
import { clientVersion, initBridge, on, postEvent, retrieveLaunchParams, setTargetOrigin, versionAtLeast, type EventPayload } from './bridge'

export { postEvent, on } from './bridge'

export interface TelegramLaunch {
  initDataRaw: string
  startParam: string | null
  languageCode: string | null
  authDate: Date | null
  platform: string
}

/** A method that may be missing in older clients: call it, or `.ifAvailable(...)` to skip quietly there. */
type Method<A extends unknown[], R> = ((...args: A) => R) & { isAvailable(): boolean; ifAvailable(...args: A): R | undefined }
function method<A extends unknown[], R>(since: string, fn: (...args: A) => R): Method<A, R> {
  const isAvailable = () => versionAtLeast(clientVersion(), since)
  return Object.assign(fn, { isAvailable, ifAvailable: (...args: A) => (isAvailable() ? fn(...args) : undefined) })
}

/** Mounted-state common to every component: setup is sent only after `mount()`. */
function mountable(since: string, onMount: () => void = () => {}) {
  let mounted = false
  return {
    isMounted: () => mounted,
    mount: method(since, () => {
      mounted = true
      onMount()
    }),
  }
}

const kebab = (key: string) => key.replace(/_/g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
const setVar = (name: string, value: string | number) => document.documentElement.style.setProperty(name, typeof value === 'number' ? `${value}px` : value)

/** Telegram's colours: `--tg-theme-bg-color` & co on <html>, dark/light for the `color-scheme`. */
export const themeParams = (() => {
  let params: Record<string, string> = {}
  const subs = new Set<() => void>()
  const isDark = Object.assign(
    () => {
      const hex = /^#?([0-9a-f]{6})$/i.exec(params.bg_color ?? '')?.[1]
      if (!hex) return false
      const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16))
      return 0.299 * r! + 0.587 * g! + 0.114 * b! < 120
    },
    { sub: (fn: () => void) => (subs.add(fn), () => void subs.delete(fn)) },
  )
  const bind = () => {
    for (const [key, value] of Object.entries(params)) setVar(`--tg-theme-${kebab(key)}`, value)
  }
  let bound = false
  const base = mountable('6.0', () => on('theme_changed', (p) => set((p.theme_params ?? {}) as Record<string, string>)))
  function set(next: Record<string, string>) {
    params = { ...params, ...next }
    if (bound) bind()
    subs.forEach((fn) => fn())
  }
  return {
    ...base,
    set,
    get: (key: string) => params[key],
    isDark,
    bindCssVars: () => {
      bound = true
      bind()
    },
  }
})()

/** The client's header/background colours as `--tg-bg-color`, `--tg-header-color`, `--tg-bottom-bar-color`; `ready()`. */
export const miniApp = {
  ...mountable('6.0'),
  bindCssVars() {
    const bg = themeParams.get('bg_color')
    if (!bg) return
    setVar('--tg-bg-color', bg)
    setVar('--tg-header-color', themeParams.get('header_bg_color') ?? bg)
    setVar('--tg-bottom-bar-color', themeParams.get('bottom_bar_bg_color') ?? themeParams.get('secondary_bg_color') ?? bg)
  },
  ready: () => postEvent('web_app_ready'),
  close: () => postEvent('web_app_close'),
}

export const backButton = (() => {
  let visible = false
  const send = () => postEvent('web_app_setup_back_button', { is_visible: visible })
  return {
    ...mountable('6.1'),
    isVisible: () => visible,
    show: () => ((visible = true), send()),
    hide: () => ((visible = false), send()),
    onClick: (fn: () => void) => on('back_button_pressed', fn),
  }
})()

export interface BottomButtonParams {
  text?: string
  isVisible?: boolean
  isEnabled?: boolean
  isLoaderVisible?: boolean
  hasShineEffect?: boolean
  backgroundColor?: string
  textColor?: string
  position?: 'left' | 'right' | 'top' | 'bottom'
}

/** Main and Secondary buttons: state kept here, the whole state sent on every change (as Telegram expects). */
function bottomButton(method_: string, pressed: string, since: string, withPosition: boolean) {
  let state: BottomButtonParams = { text: 'Continue', isVisible: false, isEnabled: true, isLoaderVisible: false, hasShineEffect: false }
  const base = mountable(since)
  const send = () => {
    if (!base.isMounted()) return
    postEvent(method_, {
      is_visible: state.isVisible,
      is_active: state.isEnabled,
      is_progress_visible: state.isLoaderVisible,
      has_shine_effect: state.hasShineEffect,
      text: state.text,
      color: state.backgroundColor ?? themeParams.get(withPosition ? 'bottom_bar_bg_color' : 'button_color'),
      text_color: state.textColor ?? themeParams.get(withPosition ? 'button_color' : 'button_text_color'),
      ...(withPosition && { position: state.position ?? 'left' }),
    })
  }
  return {
    ...base,
    state: () => ({ ...state }),
    setParams: (params: BottomButtonParams) => {
      state = { ...state, ...params }
      send()
    },
    onClick: (fn: () => void) => on(pressed, fn),
  }
}
export const mainButton = bottomButton('web_app_setup_main_button', 'main_button_pressed', '6.0', false)
export const secondaryButton = bottomButton('web_app_setup_secondary_button', 'secondary_button_pressed', '7.10', true)

export const closingBehavior = (() => {
  let confirm = false
  const send = () => postEvent('web_app_setup_closing_behavior', { need_confirmation: confirm })
  return {
    ...mountable('6.0'),
    isConfirmationEnabled: () => confirm,
    enableConfirmation: () => ((confirm = true), send()),
    disableConfirmation: () => ((confirm = false), send()),
  }
})()

export const swipeBehavior = (() => {
  let vertical = true
  const send = () => postEvent('web_app_setup_swipe_behavior', { allow_vertical_swipe: vertical })
  return {
    ...mountable('7.7'),
    isVerticalEnabled: () => vertical,
    enableVertical: method('7.7', () => ((vertical = true), send())),
    disableVertical: method('7.7', () => ((vertical = false), send())),
  }
})()

const haptic = (payload: EventPayload) => postEvent('web_app_trigger_haptic_feedback', payload)
export const hapticFeedback = {
  impactOccurred: method('6.1', (style: 'light' | 'medium' | 'heavy' | 'rigid' | 'soft') => haptic({ type: 'impact', impact_style: style })),
  notificationOccurred: method('6.1', (type: 'error' | 'success' | 'warning') => haptic({ type: 'notification', notification_type: type })),
  selectionChanged: method('6.1', () => haptic({ type: 'selection_change' })),
}

export type InvoiceStatus = 'paid' | 'failed' | 'pending' | 'cancelled'
/** Telegram's payment sheet for an invoice link (`https://t.me/$<slug>` or `t.me/invoice/<slug>`): resolves with how it closed. */
export const invoice = {
  openUrl: method('6.1', (url: string): Promise<InvoiceStatus> => {
    const slug = /(?:\/\$|\/invoice\/)([^/?#]+)/.exec(url)?.[1]
    if (!slug) return Promise.reject(new Error(`Not an invoice link: ${url}`))
    return new Promise((resolve) => {
      const off = on('invoice_closed', (p) => {
        if (p.slug !== slug) return
        off()
        resolve(p.status as InvoiceStatus)
      })
      postEvent('web_app_open_invoice', { slug })
    })
  }),
}

/** Opens a link outside the Mini App (Telegram's in-app browser), or a t.me link inside Telegram. */
export function openLink(url: string) {
  const parsed = new URL(url, window.location.href)
  if (parsed.hostname === 't.me') postEvent('web_app_open_tg_link', { path_full: parsed.pathname + parsed.search })
  else postEvent('web_app_open_link', { url: parsed.toString() })
}

/** Our own sandbox page embeds the app from the same origin; Telegram Web embeds it cross-origin. */
function inSameOriginFrame(): boolean {
  if (window.parent === window) return false
  try {
    return window.parent.location.origin === window.location.origin
  } catch {
    return false
  }
}

const VIEWPORT_VARS: Record<string, string> = {
  height: '--tg-viewport-height',
  stable_height: '--tg-viewport-stable-height',
  width: '--tg-viewport-width',
}

/** Viewport and safe areas as CSS variables, whenever the client reports them (never awaited: CSS has fallbacks). */
function bindViewport() {
  on('viewport_changed', (p) => {
    if (typeof p.height === 'number') setVar(VIEWPORT_VARS.height!, p.height)
    if (typeof p.width === 'number') setVar(VIEWPORT_VARS.width!, p.width)
    if (p.is_state_stable && typeof p.height === 'number') setVar(VIEWPORT_VARS.stable_height!, p.height)
  })
  for (const [event, prefix] of [['safe_area_changed', '--tg-safe-area-inset'], ['content_safe_area_changed', '--tg-content-safe-area-inset']] as const) {
    on(event, (p) => {
      for (const side of ['top', 'bottom', 'left', 'right']) if (typeof p[side] === 'number') setVar(`${prefix}-${side}`, p[side] as number)
    })
  }
  postEvent('web_app_request_viewport')
  if (versionAtLeast(clientVersion(), '8.0')) {
    postEvent('web_app_request_safe_area')
    postEvent('web_app_request_content_safe_area')
  }
}

/**
 * Starts the bridge when launched by Telegram (or the sandbox): theme colours and viewport/safe
 * areas as CSS variables, buttons and behaviours mounted. Returns null outside Telegram (no launch
 * params, or no way to talk to a client).
 */
export async function startTelegram(): Promise<TelegramLaunch | null> {
  const launch = retrieveLaunchParams()
  if (!launch || (window.parent === window && !window.TelegramWebviewProxy)) return null
  if (inSameOriginFrame()) setTargetOrigin(window.location.origin)
  initBridge(launch)

  themeParams.set(launch.themeParams)
  themeParams.mount()
  themeParams.bindCssVars()
  const applyScheme = () => document.documentElement.style.setProperty('color-scheme', themeParams.isDark() ? 'dark' : 'light')
  applyScheme()
  themeParams.isDark.sub(applyScheme)
  miniApp.mount()
  miniApp.bindCssVars()
  themeParams.isDark.sub(() => miniApp.bindCssVars())
  backButton.mount()
  mainButton.mount()
  secondaryButton.mount.ifAvailable()
  closingBehavior.mount()
  swipeBehavior.mount.ifAvailable()
  bindViewport()
  miniApp.ready()
  return {
    initDataRaw: launch.initDataRaw,
    startParam: launch.startParam,
    languageCode: launch.languageCode,
    authDate: launch.authDate,
    platform: launch.platform,
  }
}

/** Disables Telegram's swipe-to-close while the page can scroll, so scrolling never closes the app. */
export function guardVerticalSwipes(): () => void {
  if (!swipeBehavior.isMounted()) return () => {}
  const update = () => {
    const scrolls = document.documentElement.scrollHeight > window.innerHeight + 1
    if (scrolls === swipeBehavior.isVerticalEnabled()) (scrolls ? swipeBehavior.disableVertical : swipeBehavior.enableVertical).ifAvailable()
  }
  const observer = new ResizeObserver(update)
  observer.observe(document.body)
  window.addEventListener('resize', update)
  update()
  return () => {
    observer.disconnect()
    window.removeEventListener('resize', update)
  }
}
