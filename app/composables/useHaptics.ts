import { hapticFeedback } from '~/telegram/sdk'

/** Telegram haptics for the moments that matter: add to cart, success, error. Silent where unsupported. */
export function useHaptics() {
  return {
    addedToCart: () => void hapticFeedback.impactOccurred.ifAvailable('medium'),
    success: () => void hapticFeedback.notificationOccurred.ifAvailable('success'),
    error: () => void hapticFeedback.notificationOccurred.ifAvailable('error'),
    selection: () => void hapticFeedback.selectionChanged.ifAvailable(),
  }
}
