import type { Ref } from 'vue'
import { closingBehavior } from '~/telegram/sdk'

/** Telegram asks "close anyway?" while `unsaved` is true on this screen. */
export function useClosingConfirmation(unsaved: Ref<boolean>) {
  const set = (on: boolean) => {
    if (!closingBehavior.isMounted()) return
    if (on !== closingBehavior.isConfirmationEnabled()) (on ? closingBehavior.enableConfirmation : closingBehavior.disableConfirmation)()
  }
  watch(unsaved, set, { immediate: true })
  onBeforeUnmount(() => set(false))
}
