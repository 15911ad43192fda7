import type { WatchSource } from 'vue'
import type { ApiError } from '~/composables/useApi'
import { asApiError } from '~/utils/storefront'

/**
 * The admin's one data pattern: a screen's server data is `useResource` (Mini App and admin alike:
 * loaded on mount and when its sources change, `pending`, an `ApiError`, `reload`) for a detail or a
 * short list, and `usePagedList` below for the long lists read page by page. Server data lives in
 * the composable that loaded it; a write's answer replaces it (`data.value = saved`) or `reload()`s.
 */

/** `YYYY-MM-DD` from a date input to the start of that local day (the server compares instants). */
export const dayStart = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined)
/** The end of a `to` day is the start of the next one: the server's `to` is exclusive. */
export const dayAfter = (day: string) => (day ? new Date(new Date(`${day}T00:00:00`).getTime() + 86_400_000).toISOString() : undefined)
/** Today in the browser's time zone as a date input's value. */
export const isoDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`

/**
 * A long list read in pages with a keyset cursor (`before` / `cursor` = the last item of the page
 * before): the first page on mount and whenever `watch` changes, `more()` appends the next one.
 * A later answer wins over a stale one (filters changed while a page was loading).
 */
export function usePagedList<T, C>(loadPage: (cursor: C | undefined) => Promise<{ items: T[]; next: C | null }>, options: { watch?: WatchSource[] } = {}) {
  const items = shallowRef<T[]>([])
  const next = shallowRef<C | null>(null)
  const pending = ref(true)
  const error = shallowRef<ApiError | null>(null)
  let latest = 0

  async function load(cursor?: C) {
    const id = ++latest
    pending.value = true
    error.value = null
    try {
      const page = await loadPage(cursor)
      if (id !== latest) return
      items.value = cursor === undefined ? page.items : [...items.value, ...page.items]
      next.value = page.next
    } catch (e) {
      if (id === latest) error.value = asApiError(e)
    } finally {
      if (id === latest) pending.value = false
    }
  }
  const reload = () => load()
  const more = () => (next.value === null ? Promise.resolve() : load(next.value))
  if (options.watch) watch(options.watch, reload)
  onMounted(reload)
  return { items, hasMore: computed(() => next.value !== null), pending, error, reload, more }
}

type FilterValue = string | string[] | boolean

/**
 * List filters kept in the URL, so a filtered list can be bookmarked, shared and linked from the
 * dashboard: text as is, lists comma-separated, flags as `1`; values outside `allowed` are dropped.
 */
export function useUrlFilters<F extends Record<string, FilterValue>>(defaults: F, allowed: { [K in keyof F]?: readonly string[] } = {}) {
  const route = useRoute()
  const router = useRouter()
  const ok = (key: keyof F, value: string) => !allowed[key] || allowed[key]!.includes(value)
  return computed<F>({
    get() {
      const out = { ...defaults }
      for (const [key, fallback] of Object.entries(defaults) as [keyof F & string, FilterValue][]) {
        const raw = route.query[key]
        const text = typeof raw === 'string' ? raw : ''
        const value = Array.isArray(fallback) ? text.split(',').filter((v) => v && ok(key, v)) : typeof fallback === 'boolean' ? text === '1' : ok(key, text) ? text : fallback
        out[key] = value as F[typeof key]
      }
      return out
    },
    set(filters) {
      const query: Record<string, string> = {}
      for (const [key, value] of Object.entries(filters)) {
        const text = Array.isArray(value) ? value.join(',') : typeof value === 'boolean' ? (value ? '1' : '') : value
        if (text) query[key] = text
      }
      void router.replace({ query })
    },
  })
}
