import { describe, expect, it } from 'vitest'
import { FULLSCREEN_CONTROLS_HEIGHT, sandboxInsets } from '../../app/utils/sandbox-device'

const zero = { top: 0, bottom: 0, left: 0, right: 0 }

describe('sandbox device insets (what Telegram reports in safe_area_changed / content_safe_area_changed)', () => {
  it('reports nothing over the app on a plain device outside fullscreen', () => {
    expect(sandboxInsets('plain', false, false)).toEqual({ safeArea: zero, contentSafeArea: zero })
  })

  it('reports the notch and Telegram\'s controls in fullscreen, and the home indicator unless the bottom bar covers it', () => {
    expect(sandboxInsets('notch', true, false)).toEqual({ safeArea: { ...zero, top: 47, bottom: 34 }, contentSafeArea: { ...zero, top: FULLSCREEN_CONTROLS_HEIGHT } })
    expect(sandboxInsets('notch', true, true).safeArea).toEqual({ ...zero, top: 47 })
  })

  it('keeps the notch off the app outside fullscreen (Telegram\'s header sits below it)', () => {
    expect(sandboxInsets('notch', false, false)).toEqual({ safeArea: { ...zero, bottom: 34 }, contentSafeArea: zero })
  })

  it('still reports Telegram\'s controls in fullscreen on a plain device', () => {
    expect(sandboxInsets('plain', true, false)).toEqual({ safeArea: zero, contentSafeArea: { ...zero, top: FULLSCREEN_CONTROLS_HEIGHT } })
  })
})
