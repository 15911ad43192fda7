import { defineStore } from 'pinia'
import type { FieldError } from '#shared/schemas/forms'
import { useSessionStore } from './session'

/** A form submission waiting on the device until the server acknowledges it (or refuses it). */
export interface OutboxItem {
  /** The Idempotency-Key: every resend carries it, so the server stores the submission once. */
  key: string
  slug: string
  title: { ru: string; en: string }
  version: number
  /** Answers; photos not yet uploaded are `local:<id>` references to blobs on the device. */
  values: Record<string, unknown>
  state: 'waiting' | 'sending' | 'sent' | 'refused'
  createdAt: string
  sentAt?: string
  submissionId?: number
  code?: string
  errors?: FieldError[]
}

const LOCAL_PHOTO = /^local:([\w-]+)$/
/** Keep this many sent items to show as "sent" (the server keeps them all). */
const KEEP_SENT = 20
const RETRY_MS = 10_000

/** The signed-in Telegram user's id, read from the launch data (before /api/me answers). */
export function launchUserId(initDataRaw: string | null): number | null {
  try {
    const user = JSON.parse(new URLSearchParams(initDataRaw ?? '').get('user') ?? 'null') as { id?: number } | null
    return typeof user?.id === 'number' ? user.id : null
  } catch {
    return null
  }
}

/**
 * The offline outbox for form submissions (and the photos in them): kept on the device
 * (IndexedDB), sent in order when there is a connection, resent with the same Idempotency-Key
 * after a cut until the server answers, so a submission is never lost and never doubled.
 */
export const useFormOutboxStore = defineStore('formOutbox', () => {
  const session = useSessionStore()
  const api = useApi()
  const items = ref<OutboxItem[]>([])
  const loaded = ref(false)
  const flushing = ref(false)
  let timer: ReturnType<typeof setTimeout> | null = null
  const storageKey = () => `outbox:${launchUserId(session.initDataRaw) ?? 'anonymous'}`

  const waiting = computed(() => items.value.filter((i) => i.state === 'waiting' || i.state === 'sending'))
  const sent = computed(() => items.value.filter((i) => i.state === 'sent'))
  const refused = computed(() => items.value.filter((i) => i.state === 'refused'))

  async function persist() {
    const keep = [...items.value.filter((i) => i.state !== 'sent'), ...items.value.filter((i) => i.state === 'sent').slice(-KEEP_SENT)]
    items.value = keep
    await localSet(storageKey(), JSON.parse(JSON.stringify(keep)))
  }

  async function load() {
    if (loaded.value) return
    loaded.value = true
    const saved = (await localGet<OutboxItem[]>(storageKey())) ?? []
    // A send cut off by a closed app is simply sent again (same key).
    items.value = saved.map((i) => (i.state === 'sending' ? { ...i, state: 'waiting' } : i))
    window.addEventListener('online', () => void flush())
    void flush()
  }

  /** Keeps a photo on the device and answers the reference a field holds until it is uploaded. */
  async function keepPhoto(blob: Blob): Promise<string> {
    const id = randomId()
    await localSet(`photo:${id}`, blob)
    return `local:${id}`
  }
  const photoBlob = (ref: string) => {
    const id = LOCAL_PHOTO.exec(ref)?.[1]
    return id ? localGet<Blob>(`photo:${id}`) : Promise.resolve(undefined)
  }

  /** Uploads a kept photo (resumable: a resend with the same key answers the same path). */
  async function uploadPhoto(ref: string, key: string): Promise<string> {
    const blob = await photoBlob(ref)
    if (!blob) throw new ApiError('photo_lost', 0, 'The photo is no longer on this device')
    const body = new FormData()
    body.append('image', blob, 'photo.jpg')
    const { path } = await api.request<{ path: string }>('POST', '/api/form-photos', body, { 'Idempotency-Key': key })
    return path
  }

  /** Puts a filled form into the outbox and starts sending it. */
  async function enqueue(entry: Pick<OutboxItem, 'slug' | 'title' | 'version' | 'values'>): Promise<OutboxItem> {
    await load()
    const item: OutboxItem = { ...entry, key: randomId(), state: 'waiting', createdAt: new Date().toISOString() }
    items.value.push(item)
    await persist()
    void flush()
    return item
  }

  const retriable = (e: ApiError) => e.code === 'network' || e.status === 0 || e.status >= 500 || e.status === 429 || e.code === 'idempotency_key_in_use'

  async function sendOne(item: OutboxItem) {
    item.state = 'sending'
    const values: Record<string, unknown> = {}
    for (const [field, value] of Object.entries(item.values)) {
      if (!Array.isArray(value)) {
        values[field] = value
        continue
      }
      const out: unknown[] = []
      for (const entry of value) out.push(typeof entry === 'string' && LOCAL_PHOTO.test(entry) ? await uploadPhoto(entry, `${item.key}.${entry.slice(6)}`) : entry)
      values[field] = out
    }
    // The uploaded paths replace the references, so a resend does not upload again.
    item.values = values
    const receipt = await api.request<{ id: number }>('POST', `/api/forms/${item.slug}/submissions`, { version: item.version, values }, { 'Idempotency-Key': item.key })
    Object.assign(item, { state: 'sent', sentAt: new Date().toISOString(), submissionId: receipt.id })
  }

  /** Sends what is waiting, oldest first; stops at the first cut and tries again when back online. */
  async function flush() {
    if (flushing.value || !session.initDataRaw) return
    flushing.value = true
    if (timer) clearTimeout(timer)
    timer = null
    try {
      for (const item of items.value.filter((i) => i.state === 'waiting')) {
        try {
          await sendOne(item)
        } catch (raw) {
          const error = asApiError(raw)
          if (retriable(error)) {
            item.state = 'waiting'
            break
          }
          Object.assign(item, { state: 'refused', code: error.code, errors: Array.isArray(error.details) ? (error.details as FieldError[]) : undefined })
        } finally {
          await persist()
        }
      }
    } finally {
      flushing.value = false
      if (waiting.value.length) timer = setTimeout(() => void flush(), RETRY_MS)
    }
  }

  /** Removes a refused item the user has seen (its answers stay in the form's draft). */
  async function dismiss(key: string) {
    items.value = items.value.filter((i) => i.key !== key)
    await persist()
  }

  return { items, waiting, sent, refused, flushing, load, flush, enqueue, keepPhoto, photoBlob, uploadPhoto, dismiss }
})
