import { defineStore } from 'pinia'

export type Role = 'owner' | 'admin' | 'manager' | 'operator' | 'staff'
/** `GET /api/me`: the user Telegram vouched for, their roles and the deep-link parameter. */
export interface Me {
  user: {
    id: number
    firstName: string
    lastName: string | null
    username: string | null
    languageCode: string | null
    locale: 'ru' | 'en'
    photoUrl: string | null
    isPremium: boolean
    allowsWriteToPm: boolean
  }
  roles: Role[]
  startParam: string | null
}

/** Client-only session of the Mini App: the raw init data for the API and who is signed in. */
export const useSessionStore = defineStore('session', () => {
  const initDataRaw = ref<string | null>(null)
  const authDate = ref<Date | null>(null)
  const me = ref<Me | null>(null)
  const displayName = computed(() => (me.value ? [me.value.user.firstName, me.value.user.lastName].filter(Boolean).join(' ') : ''))
  return { initDataRaw, authDate, me, displayName }
})
