import type { WatchSource } from 'vue'

/**
 * One piece of server data for a screen: loaded on mount (and again when `watch` changes), with
 * pending and a stable ApiError for the error state and its retry. Later answers win over stale ones.
 */
export function useResource<T>(load: () => Promise<T>, options: { watch?: WatchSource[] } = {}) {
  const data = shallowRef<T | null>(null)
  const error = shallowRef<ApiError | null>(null)
  const pending = ref(true)
  let latest = 0

  async function reload() {
    const id = ++latest
    pending.value = true
    error.value = null
    try {
      const value = await load()
      if (id === latest) data.value = value
    } catch (e) {
      if (id === latest) error.value = asApiError(e)
    } finally {
      if (id === latest) pending.value = false
    }
  }
  if (options.watch) watch(options.watch, reload)
  onMounted(reload)
  return { data, error, pending, reload }
}
