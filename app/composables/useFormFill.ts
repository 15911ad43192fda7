import type { InternalApi } from 'nitropack/types'
import { checkFormValues, isFieldVisible, type FieldError, type FormDefinition } from '#shared/schemas/forms'
import { launchUserId, useFormOutboxStore } from '~/stores/formOutbox'

export type FillableForm = InternalApi['/api/forms/:slug']['get']
type ServerDraft = NonNullable<FillableForm['draft']>

/** The device's copy of a draft: what was typed, and which answers the server has not seen yet. */
interface LocalDraft {
  version: number
  values: Record<string, unknown>
  step: number
  /** The server revision these values were last saved on top of (0: never saved). */
  baseRevision: number
  /** Answers changed since the last save the server acknowledged. */
  changed: string[]
  updatedAt: string
}

const SAVE_DELAY_MS = 800
/** A photo still on the device passes the client check as if uploaded (the outbox uploads it before sending). */
const UPLOADED_LOOKALIKE = '/files/forms/00000000-0000-0000-0000-000000000000.jpg'
const forCheck = (values: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => (typeof x === 'string' && x.startsWith('local:') ? UPLOADED_LOOKALIKE : x)) : v]))

/**
 * Filling one form: the definition (cached on the device for offline opens), the answers saved on
 * the device at every change and on the server a moment later (merging with another device's
 * saves), the step with the same checks the server applies, and Send through the offline outbox.
 */
export function useFormFill(slug: () => string) {
  const api = useApi()
  const session = useSessionStore()
  const outbox = useFormOutboxStore()
  const form = shallowRef<FillableForm | null>(null)
  const error = shallowRef<ApiError | null>(null)
  const values = ref<Record<string, unknown>>({})
  const step = ref(0)
  const errors = ref<Record<string, FieldError['code']>>({})
  const sync = ref<'saved' | 'saving' | 'device'>('saved')
  const restored = ref(false)
  let local: LocalDraft | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let ready = false
  const localKey = () => `draft:${launchUserId(session.initDataRaw) ?? 'anonymous'}:${slug()}`
  const formKey = () => `form:${slug()}`

  const definition = computed<FormDefinition | null>(() => (form.value?.definition as FormDefinition | undefined) ?? null)
  const steps = computed(() => definition.value?.steps ?? [])
  const visibleFields = computed(() => (steps.value[step.value]?.fields ?? []).filter((f) => isFieldVisible(definition.value!, f, values.value)))
  const isLast = computed(() => step.value >= steps.value.length - 1)

  /** Takes the server's draft, keeping the answers this device changed since its last save (and, mid-edit, its step). */
  function adopt(server: ServerDraft, keepLocal: string[], followStep: boolean) {
    const mine = Object.fromEntries(keepLocal.filter((k) => k in values.value).map((k) => [k, values.value[k]]))
    values.value = { ...server.values, ...mine }
    if (followStep) step.value = Math.min(server.step, Math.max(0, steps.value.length - 1))
    local = { version: form.value!.version, values: values.value, step: step.value, baseRevision: server.revision, changed: keepLocal, updatedAt: new Date().toISOString() }
  }

  async function load() {
    error.value = null
    const saved = await localGet<LocalDraft>(localKey())
    let opened: FillableForm | undefined
    try {
      opened = navigator.onLine ? await api.get<FillableForm>(`/api/forms/${slug()}`) : undefined
    } catch (e) {
      if (asApiError(e).code !== 'network') {
        error.value = asApiError(e)
        return
      }
    }
    opened = opened ?? (await localGet<FillableForm>(formKey()))
    if (!opened) {
      error.value = new ApiError('network', 0, 'offline')
      return
    }
    await localSet(formKey(), JSON.parse(JSON.stringify({ ...opened, draft: null })))
    form.value = opened
    const server = opened.draft
    // The device's unsaved answers win over the server's; everything else follows the newest save.
    if (saved && (!server || saved.changed.length || saved.baseRevision >= server.revision)) {
      values.value = saved.values
      step.value = Math.min(saved.step, opened.definition.steps.length - 1)
      local = saved
      if (server && server.revision > saved.baseRevision) adopt(server, saved.changed, !saved.changed.length)
    } else if (server) {
      adopt(server, [], true)
    }
    restored.value = Object.keys(values.value).length > 0
    ready = true
    if (local?.changed.length) scheduleSave()
  }

  async function saveLocal(changedKeys: string[]) {
    if (!ready) return
    const changed = [...new Set([...(local?.changed ?? []), ...changedKeys])]
    local = { version: form.value!.version, values: JSON.parse(JSON.stringify(values.value)), step: step.value, baseRevision: local?.baseRevision ?? 0, changed, updatedAt: new Date().toISOString() }
    await localSet(localKey(), local)
  }

  function scheduleSave() {
    if (!ready) return
    sync.value = 'device'
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => void saveServer(), SAVE_DELAY_MS)
  }

  async function saveServer(retry = true): Promise<void> {
    if (!local || !form.value || !ready) return
    const sending = local
    sync.value = 'saving'
    try {
      const saved = await api.post<ServerDraft>(`/api/forms/${slug()}/draft`, { version: sending.version, values: sending.values, step: sending.step, baseRevision: sending.baseRevision })
      if (!ready || !local) return
      // Answers typed while this save was on its way stay marked for the next one.
      const later = local === sending ? [] : local.changed.filter((k) => JSON.stringify(local!.values[k]) !== JSON.stringify(sending.values[k]))
      local = { ...local, baseRevision: saved.revision, changed: later }
      await localSet(localKey(), local)
      sync.value = later.length ? 'device' : 'saved'
      if (later.length) scheduleSave()
    } catch (e) {
      const failure = asApiError(e)
      if (failure.code === 'draft_conflict' && retry && ready && local) {
        const current = (failure.details as { draft: ServerDraft | null }).draft
        if (current) adopt(current, local.changed, false)
        else local = { ...local, baseRevision: 0 }
        await localSet(localKey(), local)
        return saveServer(false)
      }
      sync.value = 'device'
    }
  }

  watch(
    [values, step],
    (_n, _o) => {
      if (!ready) return
      const changed = Object.keys(values.value).filter((k) => JSON.stringify(values.value[k]) !== JSON.stringify(local?.values[k]))
      void saveLocal(changed).then(scheduleSave)
    },
    { deep: true },
  )
  const resume = () => {
    if (local?.changed.length) void saveServer()
  }
  onMounted(() => window.addEventListener('online', resume))
  onBeforeUnmount(() => {
    window.removeEventListener('online', resume)
    if (timer) clearTimeout(timer)
  })

  /** Checks the current step like the server will; errors land on their fields. */
  function checkStep(): boolean {
    const result = checkFormValues(definition.value!, forCheck(values.value), { steps: [step.value] })
    errors.value = result.ok ? {} : Object.fromEntries(result.errors.map((e) => [e.path, e.code]))
    return result.ok
  }

  function next() {
    if (checkStep()) step.value++
    return Object.keys(errors.value).length === 0
  }

  /** Checks everything, hands the answers to the outbox and forgets the draft; the outbox item to follow. */
  async function send() {
    const result = checkFormValues(definition.value!, forCheck(values.value))
    if (!result.ok) {
      errors.value = Object.fromEntries(result.errors.map((e) => [e.path, e.code]))
      const first = steps.value.findIndex((s) => s.fields.some((f) => f.key in errors.value))
      if (first >= 0) step.value = first
      return null
    }
    const answers = Object.fromEntries(Object.keys(result.values).map((k) => [k, values.value[k]]))
    const item = await outbox.enqueue({ slug: slug(), title: form.value!.title, version: form.value!.version, values: answers })
    // Sent (or waiting in the outbox): the draft is finished here; no late save may bring it back.
    if (timer) clearTimeout(timer)
    ready = false
    local = null
    await localDelete(localKey())
    return item
  }

  return { form, error, values, step, steps, errors, sync, restored, visibleFields, isLast, load, next, send, checkStep }
}
