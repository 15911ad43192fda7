import type { Locale } from '~/composables/useI18n'

/**
 * Every Mini App screen but home, and the sandbox, needs the second half of the dictionary
 * (see useI18n): it is loaded before such a screen opens, so nothing shows a raw key. Home loads
 * it once it has painted (the shell's afterFirstScreen). Global middleware sits in the entry every
 * page downloads (the admin too): the dictionaries are imported only when needed.
 */
export default defineNuxtRouteMiddleware(async (to) => {
  if (import.meta.server) return
  const needsMore = (to.path.startsWith('/app/') && to.path !== '/app/') || to.path === '/sandbox'
  if (!needsMore) return
  const locale = useState<Locale>('locale', () => 'ru')
  const { loadMoreMessages } = await import('~/composables/useI18n')
  await loadMoreMessages(locale.value).catch(() => {})
})
