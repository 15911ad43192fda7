import { telegram } from '~/telegram'

/** Telegram haptics for the moments that matter: add to cart, success, error. Silent where unsupported or before the SDK has started. */
export function useHaptics() {
  const haptics = () => telegram.value?.hapticFeedback
  return {
    addedToCart: () => void haptics()?.impactOccurred.ifAvailable('medium'),
    success: () => void haptics()?.notificationOccurred.ifAvailable('success'),
    error: () => void haptics()?.notificationOccurred.ifAvailable('error'),
    selection: () => void haptics()?.selectionChanged.ifAvailable(),
  }
}
