import type { MaybeRefOrGetter } from 'vue'
import { mainButton, secondaryButton } from '~/telegram/sdk'

/** One of Telegram's bottom buttons as a screen wants it. */
export interface BottomButton {
  text: string
  visible?: boolean
  enabled?: boolean
  /** Shows Telegram's spinner on the button (and blocks presses). */
  progress?: boolean
  onClick: () => void
}

let owner = 0

/**
 * Drives Telegram's Main and Secondary buttons for the screen that calls it: text, progress,
 * enabled, visible follow the getters; the buttons hide when the screen goes away (unless the
 * next screen has taken them over already).
 */
export function useTelegramButtons(spec: { main?: MaybeRefOrGetter<BottomButton | null>; secondary?: MaybeRefOrGetter<BottomButton | null> }) {
  const id = ++owner
  let current = id
  const main = computed(() => toValue(spec.main) ?? null)
  const secondary = computed(() => toValue(spec.secondary) ?? null)
  const offs: (() => void)[] = []

  function apply() {
    if (current !== owner) return
    const m = main.value
    if (mainButton.isMounted()) {
      mainButton.setParams(m ? { text: m.text, isVisible: m.visible ?? true, isEnabled: (m.enabled ?? true) && !m.progress, isLoaderVisible: m.progress ?? false } : { isVisible: false })
    }
    const s = secondary.value
    if (secondaryButton.isMounted()) {
      secondaryButton.setParams(s ? { text: s.text, isVisible: s.visible ?? true, isEnabled: (s.enabled ?? true) && !s.progress, isLoaderVisible: s.progress ?? false, position: 'top' } : { isVisible: false })
    }
  }

  onMounted(() => {
    current = owner = id
    if (mainButton.isMounted()) offs.push(mainButton.onClick(() => main.value?.enabled !== false && !main.value?.progress && main.value?.onClick()))
    if (secondaryButton.isMounted()) offs.push(secondaryButton.onClick(() => secondary.value?.enabled !== false && !secondary.value?.progress && secondary.value?.onClick()))
    apply()
  })
  watch([main, secondary], apply, { deep: true })
  onBeforeUnmount(() => {
    offs.forEach((off) => off())
    if (owner !== id) return
    if (mainButton.isMounted()) mainButton.setParams({ isVisible: false })
    if (secondaryButton.isMounted()) secondaryButton.setParams({ isVisible: false })
  })
}
