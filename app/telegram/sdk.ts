/**
 * The only module that talks to @tma.js/sdk-vue. Loaded by `~/telegram` (dynamic import) once the
 * Mini App's first screen has painted; public pages and the admin never download it.
 */
import {
  backButton, closingBehavior, downloadFile, hapticFeedback, init, invoice, isTMA, mainButton, miniApp, openLink, postEvent, requestContact,
  retrieveLaunchParams, retrieveRawInitData, secondaryButton, setTargetOrigin, swipeBehavior, themeParams, viewport,
} from '@tma.js/sdk-vue'

export { backButton, closingBehavior, hapticFeedback, mainButton, requestContact, secondaryButton, swipeBehavior, themeParams }

export interface TelegramLaunch {
  initDataRaw: string
  userId: number | null
  startParam: string | null
  languageCode: string | null
  authDate: Date | null
  platform: string
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
  stableHeight: '--tg-viewport-stable-height',
  width: '--tg-viewport-width',
}
/** Telegram's own names: --tg-safe-area-inset-top, --tg-content-safe-area-inset-top, ... */
const viewportVarName = (key: string) =>
  VIEWPORT_VARS[key] ?? `--tg-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^-/, '')}`

/**
 * Telegram keeps what a page set (its buttons, the Back button, "close anyway?", swipe-to-close)
 * while the Mini App loads again (a reload, a link that opens it anew), and on a reload the SDK
 * restores its own copy from session storage. A screen that sets none of them would inherit the last
 * screen's: "Open the menu" on the orders list, Back on the home screen, pressing into nothing. Each
 * starts in its default, in the SDK's state and at Telegram (the SDK posts only changes, so the
 * default is also posted directly); the screen that wants one sets it as usual.
 */
function startClean() {
  mainButton.setParams({ isVisible: false })
  postEvent('web_app_setup_main_button', { is_visible: false })
  if (secondaryButton.isMounted()) {
    secondaryButton.setParams({ isVisible: false })
    postEvent('web_app_setup_secondary_button', { is_visible: false })
  }
  backButton.hide()
  postEvent('web_app_setup_back_button', { is_visible: false })
  closingBehavior.disableConfirmation()
  postEvent('web_app_setup_closing_behavior', { need_confirmation: false })
  if (swipeBehavior.isMounted()) {
    swipeBehavior.enableVertical()
    postEvent('web_app_setup_swipe_behavior', { allow_vertical_swipe: true })
  }
}

/**
 * Starts the SDK when launched by Telegram (or the sandbox): theme colours and viewport/safe areas
 * as CSS variables, buttons and behaviours mounted. Returns null outside Telegram (no launch params).
 */
export async function startTelegram(): Promise<TelegramLaunch | null> {
  if (!isTMA()) return null
  if (inSameOriginFrame()) setTargetOrigin(window.location.origin)
  init()
  const launch = retrieveLaunchParams()
  const initDataRaw = retrieveRawInitData()
  if (!initDataRaw) return null

  themeParams.mount()
  themeParams.bindCssVars()
  const applyScheme = () => document.documentElement.style.setProperty('color-scheme', themeParams.isDark() ? 'dark' : 'light')
  applyScheme()
  themeParams.isDark.sub(applyScheme)
  miniApp.mount()
  miniApp.bindCssVars()
  backButton.mount()
  mainButton.mount()
  secondaryButton.mount.ifAvailable()
  closingBehavior.mount()
  swipeBehavior.mount.ifAvailable()
  startClean()
  // Asks Telegram for the viewport and safe areas without waiting for the answer: the first screen
  // never waits on the client (CSS uses env(safe-area-inset-*) and 100dvh until the values arrive).
  viewport
    .mount({ timeout: 5000 })
    .then(() => {
      viewport.bindCssVars(viewportVarName)
      const markFullscreen = () => document.documentElement.toggleAttribute('data-tg-fullscreen', viewport.isFullscreen())
      markFullscreen()
      viewport.isFullscreen.sub(markFullscreen)
    })
    .catch(() => {})
  miniApp.ready()
  const data = launch.tgWebAppData
  return {
    initDataRaw,
    userId: data?.user?.id ?? null,
    startParam: launch.tgWebAppStartParam ?? data?.start_param ?? null,
    languageCode: data?.user?.language_code ?? null,
    authDate: data?.auth_date ?? null,
    platform: launch.tgWebAppPlatform,
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

/** How Telegram closed an invoice; 'unavailable' when this client cannot open invoices at all. */
export type InvoiceOutcome = 'paid' | 'cancelled' | 'failed' | 'pending' | 'unavailable'

/** Opens a Telegram invoice link (t.me/$slug) and resolves to how the customer closed it; never throws. */
export async function openInvoice(link: string): Promise<InvoiceOutcome> {
  if (!invoice.openUrl.isAvailable()) return 'unavailable'
  try {
    const status: string = await invoice.openUrl(link)
    return status === 'paid' || status === 'cancelled' || status === 'pending' ? status : 'failed'
  } catch {
    return 'failed'
  }
}

/**
 * Opens a file the way Telegram wants files opened: its download sheet (Bot API 8.0
 * `downloadFile`) where the client has it, else the external browser (`openLink`). Returns false
 * when neither is available (the screen then offers a plain link).
 */
export async function openFile(url: string, fileName: string): Promise<boolean> {
  try {
    if (downloadFile.isAvailable()) {
      await downloadFile(url, fileName)
      return true
    }
    if (openLink.isAvailable()) {
      openLink(url)
      return true
    }
  } catch {
    // Refused or unsupported: fall back to the plain link.
  }
  return false
}
