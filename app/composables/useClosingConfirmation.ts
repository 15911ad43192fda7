import type { Ref } from 'vue'
import { telegram } from '~/telegram'

/** Telegram asks "close anyway?" while `unsaved` is true on this screen (from when the SDK has started). */
export function useClosingConfirmation(unsaved: Ref<boolean>) {
  const set = (on: boolean) => {
    const closing = telegram.value?.closingBehavior
    if (!closing?.isMounted()) return
    if (on !== closing.isConfirmationEnabled()) (on ? closing.enableConfirmation : closing.disableConfirmation)()
  }
  watch([unsaved, telegram], () => set(unsaved.value), { immediate: true })
  onBeforeUnmount(() => set(false))
}
