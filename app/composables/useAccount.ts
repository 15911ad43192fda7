import type { AddressInput, ProfilePatch } from '#shared/schemas/account'
import { startSdk, telegram } from '~/telegram'

/** The account's profile (contact data and notification preferences) and saving a change to it. */
export function useAccountProfile() {
  const api = useApi()
  const profile = useResource(() => api.get<AccountProfile>('/api/account'))
  const saving = ref(false)
  const saveError = shallowRef<ApiError | null>(null)
  async function save(patch: ProfilePatch) {
    saving.value = true
    saveError.value = null
    try {
      profile.data.value = await api.patch<AccountProfile>('/api/account/profile', patch)
      return true
    } catch (e) {
      saveError.value = asApiError(e)
      return false
    } finally {
      saving.value = false
    }
  }
  return { ...profile, saving, saveError, save }
}

/** Saved addresses with add, edit, delete and "make default"; the list is re-read after each change. */
export function useAccountAddresses() {
  const api = useApi()
  const list = useResource(async () => (await api.get<{ items: AccountAddress[] }>('/api/account/addresses')).items)
  const busy = ref(false)
  const actionError = shallowRef<ApiError | null>(null)
  async function run(action: () => Promise<unknown>) {
    busy.value = true
    actionError.value = null
    try {
      await action()
      await list.reload()
      return true
    } catch (e) {
      actionError.value = asApiError(e)
      return false
    } finally {
      busy.value = false
    }
  }
  return {
    ...list,
    busy,
    actionError,
    create: (input: AddressInput) => run(() => api.post('/api/account/addresses', input)),
    update: (id: number, patch: Partial<AddressInput>) => run(() => api.patch(`/api/account/addresses/${id}`, patch)),
    remove: (id: number) => run(() => api.delete(`/api/account/addresses/${id}`)),
  }
}

/** One history across modules, newest first, with a search box and "show more". */
export function useAccountHistory(query: Ref<string>) {
  const api = useApi()
  const path = (before?: string) => `/api/account/history?${new URLSearchParams({ limit: '20', ...(query.value ? { q: query.value } : {}), ...(before ? { before } : {}) })}`
  const page = useResource(() => api.get<AccountHistoryPage>(path()), { watch: [query] })
  const loadingMore = ref(false)
  async function more() {
    const current = page.data.value
    if (!current?.nextBefore || loadingMore.value) return
    loadingMore.value = true
    try {
      const next = await api.get<AccountHistoryPage>(path(current.nextBefore))
      page.data.value = { items: [...current.items, ...next.items], nextBefore: next.nextBefore }
    } catch (e) {
      page.error.value = asApiError(e)
    } finally {
      loadingMore.value = false
    }
  }
  return { ...page, more, loadingMore }
}

/**
 * The customer's documents. Opening one asks for a 5-minute signed link and hands it to Telegram's
 * file download (or the browser); "to chat" has the bot send the file into the chat.
 */
export function useAccountDocuments() {
  const api = useApi()
  const list = useResource(async () => (await api.get<{ items: AccountDocument[] }>('/api/account/documents')).items)
  const links = ref<Record<number, AccountDocumentLink>>({})
  const sent = ref<Record<number, boolean>>({})
  const actionError = shallowRef<ApiError | null>(null)
  async function open(doc: AccountDocument) {
    actionError.value = null
    try {
      const link = await api.post<AccountDocumentLink>(`/api/account/documents/${doc.id}/link`)
      links.value = { ...links.value, [doc.id]: link }
      const sdk = telegram.value ?? ((await startSdk()) && telegram.value)
      if (sdk) await sdk.openFile(link.url, link.fileName)
    } catch (e) {
      actionError.value = asApiError(e)
    }
  }
  async function toChat(doc: AccountDocument) {
    actionError.value = null
    try {
      await api.post(`/api/account/documents/${doc.id}/send`)
      sent.value = { ...sent.value, [doc.id]: true }
    } catch (e) {
      actionError.value = asApiError(e)
    }
  }
  return { ...list, links, sent, actionError, open, toChat }
}
