import { telegram } from '~/telegram'

/**
 * The phone number through Telegram's requestContact. Clients that do not support it, a refusal,
 * no answer within 15 s, or a tap before the SDK has started give null: the field stays editable,
 * typing always works.
 */
export function useRequestContact() {
  const asking = ref(false)
  const available = computed(() => {
    try {
      return telegram.value?.requestContact.isAvailable() ?? false
    } catch {
      return false
    }
  })
  async function ask(): Promise<string | null> {
    const requestContact = telegram.value?.requestContact
    if (!requestContact || !available.value) return null
    asking.value = true
    try {
      const result = await Promise.race([requestContact({ timeout: 15_000 }), new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_500))])
      const phone = result?.contact.phone_number
      return phone ? (phone.startsWith('+') ? phone : `+${phone}`) : null
    } catch {
      return null
    } finally {
      asking.value = false
    }
  }
  return { asking, available, ask }
}
