import type { MaybeRefOrGetter } from 'vue'
import { telegram, withTelegram, type TelegramSdk } from '~/telegram'

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
 * next screen has taken them over already). Before the SDK has started there are no buttons yet:
 * they appear with the screen's state as soon as it has.
 */
export function useTelegramButtons(spec: { main?: MaybeRefOrGetter<BottomButton | null>; secondary?: MaybeRefOrGetter<BottomButton | null> }) {
  const id = ++owner
  let current = id
  const main = computed(() => toValue(spec.main) ?? null)
  const secondary = computed(() => toValue(spec.secondary) ?? null)
  const offs: (() => void)[] = []

  function apply() {
    const sdk = telegram.value
    if (!sdk || current !== owner) return
    const m = main.value
    if (sdk.mainButton.isMounted()) {
      sdk.mainButton.setParams(m ? { text: m.text, isVisible: m.visible ?? true, isEnabled: (m.enabled ?? true) && !m.progress, isLoaderVisible: m.progress ?? false } : { isVisible: false })
    }
    const s = secondary.value
    if (sdk.secondaryButton.isMounted()) {
      sdk.secondaryButton.setParams(s ? { text: s.text, isVisible: s.visible ?? true, isEnabled: (s.enabled ?? true) && !s.progress, isLoaderVisible: s.progress ?? false, position: 'top' } : { isVisible: false })
    }
  }
  function listen(sdk: TelegramSdk) {
    if (sdk.mainButton.isMounted()) offs.push(sdk.mainButton.onClick(() => main.value?.enabled !== false && !main.value?.progress && main.value?.onClick()))
    if (sdk.secondaryButton.isMounted()) offs.push(sdk.secondaryButton.onClick(() => secondary.value?.enabled !== false && !secondary.value?.progress && secondary.value?.onClick()))
    apply()
  }

  let unmounted = false
  onMounted(() => {
    current = owner = id
    withTelegram((sdk) => !unmounted && listen(sdk))
  })
  watch([main, secondary], apply, { deep: true })
  onBeforeUnmount(() => {
    unmounted = true
    offs.forEach((off) => off())
    const sdk = telegram.value
    if (owner !== id || !sdk) return
    if (sdk.mainButton.isMounted()) sdk.mainButton.setParams({ isVisible: false })
    if (sdk.secondaryButton.isMounted()) sdk.secondaryButton.setParams({ isVisible: false })
  })
}
