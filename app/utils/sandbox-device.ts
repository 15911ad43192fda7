/**
 * The phones the sandbox can play Telegram on, and the insets a Telegram client reports on them
 * (`safe_area_changed`, `content_safe_area_changed`): what the device and Telegram draw over the
 * Mini App's webview, in CSS pixels.
 */
export const SANDBOX_DEVICES = {
  /** A window with nothing over the app (Telegram Desktop-like): every inset is zero. */
  plain: { platform: 'tdesktop', statusBar: 0, homeIndicator: 0 },
  /** An iPhone-shaped phone (390x844): the notch's status bar on top, the home indicator below. */
  notch: { platform: 'ios', statusBar: 47, homeIndicator: 34 },
} as const
export type SandboxDevice = keyof typeof SANDBOX_DEVICES
export const isSandboxDevice = (value: unknown): value is SandboxDevice => typeof value === 'string' && value in SANDBOX_DEVICES

/** Telegram's Close and ⋯ buttons float over the top of the app in fullscreen: its content safe area. */
export const FULLSCREEN_CONTROLS_HEIGHT = 46

export interface Insets {
  top: number
  bottom: number
  left: number
  right: number
}

/**
 * What overlaps the webview. Outside fullscreen Telegram's header sits below the status bar, so only
 * the home indicator reaches the app, and not when Telegram's bottom bar (Main/Secondary buttons)
 * is shown, which keeps its own room for it. In fullscreen the app runs under the status bar, with
 * Telegram's controls floating below it.
 */
export function sandboxInsets(device: SandboxDevice, fullscreen: boolean, bottomBar: boolean): { safeArea: Insets; contentSafeArea: Insets } {
  const { statusBar, homeIndicator } = SANDBOX_DEVICES[device]
  return {
    safeArea: { top: fullscreen ? statusBar : 0, bottom: bottomBar ? 0 : homeIndicator, left: 0, right: 0 },
    contentSafeArea: { top: fullscreen ? FULLSCREEN_CONTROLS_HEIGHT : 0, bottom: 0, left: 0, right: 0 },
  }
}
