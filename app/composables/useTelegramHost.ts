import type { Ref } from 'vue'
import { sandboxInsets, type SandboxDevice } from '~/utils/sandbox-device'

/** A bottom button as the Mini App asked Telegram to draw it (web_app_setup_main_button & co). */
export interface HostButton {
  visible: boolean
  active: boolean
  text: string
  color?: string
  textColor?: string
  progress: boolean
}
type Payload = Record<string, unknown>
const hidden = (): HostButton => ({ visible: false, active: true, text: '', progress: false })

function toButton(p: Payload): HostButton {
  return {
    visible: Boolean(p.is_visible),
    active: p.is_active !== false,
    text: String(p.text ?? ''),
    color: p.color as string | undefined,
    textColor: p.text_color as string | undefined,
    progress: Boolean(p.is_progress_visible),
  }
}

/**
 * Plays the Telegram client for a Mini App in an iframe, over the web platform's postMessage
 * bridge: the frame posts `{eventType, eventData}` to its parent; we answer with events posted to
 * the frame's window. Buttons, back, theme, viewport, safe areas, fullscreen, closing, swipes, invoices.
 * The device and fullscreen mode are the sandbox's to switch (or the app's, for fullscreen): every
 * change reaches the frame as Telegram sends it (fullscreen_changed, safe_area_changed,
 * content_safe_area_changed, then viewport_changed once the frame has its new size).
 */
export function useTelegramHost(
  frame: Ref<HTMLIFrameElement | null>,
  options: { themeParams: () => Record<string, string>; onInvoice: (slug: string) => void; onContactRequest: () => void },
) {
  const main = ref<HostButton>(hidden())
  const secondary = ref<HostButton>(hidden())
  const back = ref(false)
  const closingConfirmation = ref(false)
  const verticalSwipes = ref(true)
  const closed = ref(false)
  const events = ref<{ id: number; sent: boolean; name: string; detail: string }[]>([])
  const device = ref<SandboxDevice>('plain')
  const fullscreen = ref(false)
  const bottomBar = computed(() => main.value.visible || secondary.value.visible)
  /** What `getRequestedContact` answers: the signed contact once the person shared it in this launch, else "". */
  let sharedContact = ''
  const insets = computed(() => sandboxInsets(device.value, fullscreen.value, bottomBar.value))
  let logged = 0

  function send(eventType: string, eventData?: unknown) {
    if (!frame.value?.contentWindow) return
    log(eventType, eventData, true)
    frame.value.contentWindow.postMessage(JSON.stringify({ eventType, eventData }), window.location.origin)
  }
  function log(name: string, data: unknown, sent = false) {
    events.value = [{ id: ++logged, sent, name, detail: data === undefined ? '' : JSON.stringify(data) }, ...events.value].slice(0, 40)
  }
  function viewportSize() {
    const f = frame.value
    return { height: f?.clientHeight ?? 0, width: f?.clientWidth ?? 0, is_expanded: true, is_state_stable: true }
  }
  function setFullscreen(on: boolean) {
    if (on && fullscreen.value) return send('fullscreen_failed', { error: 'ALREADY_FULLSCREEN' })
    // Exiting while not in fullscreen still answers, so the app's request settles.
    if (on === fullscreen.value) return send('fullscreen_changed', { is_fullscreen: on })
    fullscreen.value = on
  }

  const handlers: Record<string, (p: Payload) => void> = {
    web_app_setup_main_button: (p) => (main.value = toButton(p)),
    web_app_setup_secondary_button: (p) => (secondary.value = toButton(p)),
    web_app_setup_back_button: (p) => (back.value = Boolean(p.is_visible)),
    web_app_setup_closing_behavior: (p) => (closingConfirmation.value = Boolean(p.need_confirmation)),
    web_app_setup_swipe_behavior: (p) => (verticalSwipes.value = p.allow_vertical_swipe !== false),
    web_app_request_theme: () => send('theme_changed', { theme_params: options.themeParams() }),
    web_app_request_viewport: () => send('viewport_changed', viewportSize()),
    web_app_request_safe_area: () => send('safe_area_changed', insets.value.safeArea),
    web_app_request_content_safe_area: () => send('content_safe_area_changed', insets.value.contentSafeArea),
    web_app_request_fullscreen: () => setFullscreen(true),
    web_app_exit_fullscreen: () => setFullscreen(false),
    web_app_open_invoice: (p) => options.onInvoice(String(p.slug)),
    web_app_request_phone: () => options.onContactRequest(),
    // Telegram answers the contact the person shared (from its servers) to the SDK's getRequestedContact.
    web_app_invoke_custom_method: (p) => p.method === 'getRequestedContact' && send('custom_method_invoked', { req_id: p.req_id, result: sharedContact }),
    web_app_close: () => (closed.value = true),
    web_app_open_link: (p) => void window.open(String(p.url), '_blank', 'noopener'),
    // Telegram asks the person, then downloads the file itself; the sandbox downloads it at once.
    web_app_request_file_download: (p) => {
      send('file_download_requested', { status: 'downloading' })
      const a = Object.assign(document.createElement('a'), { href: String(p.url), download: String(p.file_name ?? '') })
      a.click()
    },
    web_app_open_tg_link: (p) => void window.open(`https://t.me${String(p.path_full)}`, '_blank', 'noopener'),
  }

  function onMessage(event: MessageEvent) {
    if (!frame.value || event.source !== frame.value.contentWindow || typeof event.data !== 'string') return
    let message: { eventType?: string; eventData?: unknown }
    try {
      message = JSON.parse(event.data)
    } catch {
      return
    }
    if (!message.eventType) return
    const data = (typeof message.eventData === 'string' ? JSON.parse(message.eventData || '{}') : message.eventData ?? {}) as Payload
    log(message.eventType, message.eventData)
    handlers[message.eventType]?.(data)
  }
  onMounted(() => window.addEventListener('message', onMessage))
  // Told only when something changed, in Telegram's order: the mode, then the insets it brings.
  watch(fullscreen, (is_fullscreen) => send('fullscreen_changed', { is_fullscreen }))
  watch(() => JSON.stringify(insets.value.safeArea), () => send('safe_area_changed', insets.value.safeArea))
  watch(() => JSON.stringify(insets.value.contentSafeArea), () => send('content_safe_area_changed', insets.value.contentSafeArea))
  // The frame's size follows the device, the mode and Telegram's bars: each new size is a viewport_changed.
  watch(frame, (element, _, onCleanup) => {
    if (!element) return
    let last = `${element.clientWidth}x${element.clientHeight}`
    const observer = new ResizeObserver(() => {
      const size = `${element.clientWidth}x${element.clientHeight}`
      if (size !== last) send('viewport_changed', viewportSize())
      last = size
    })
    observer.observe(element)
    onCleanup(() => observer.disconnect())
  })
  onBeforeUnmount(() => window.removeEventListener('message', onMessage))

  /** A fresh frame: forget what the previous launch asked for. */
  function reset() {
    main.value = hidden()
    secondary.value = hidden()
    back.value = false
    closingConfirmation.value = false
    verticalSwipes.value = true
    closed.value = false
    events.value = []
    sharedContact = ''
  }

  /** The person answered the phone-number popup: `result` is the signed contact when shared. */
  function contactAnswered(status: 'sent' | 'cancelled', result: string) {
    if (status === 'sent') sharedContact = result
    send('phone_requested', { status })
  }

  return {
    main, secondary, back, closingConfirmation, verticalSwipes, closed, events, reset, device, fullscreen, bottomBar,
    pressMain: () => main.value.active && !main.value.progress && send('main_button_pressed'),
    pressSecondary: () => secondary.value.active && !secondary.value.progress && send('secondary_button_pressed'),
    pressBack: () => send('back_button_pressed'),
    changeTheme: (theme_params: Record<string, string>) => send('theme_changed', { theme_params }),
    invoiceClosed: (slug: string, status: string) => send('invoice_closed', { slug, status }),
    contactAnswered,
  }
}
