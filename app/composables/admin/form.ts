import type { z } from 'zod'
import { ApiError } from '~/composables/useApi'
import { useAdminFeedback } from './feedback'
import { useAdminI18n, type AdminMessageKey } from './i18n'
import { DraftReader } from './draft'

export { DraftReader, editableAmount, minorToRubles, parseAmount, rublesToMinor } from './draft'

type Params = Record<string, string | number>

/** The admin's generic words for the schema's issue kinds (a form can say more per field). */
function messageFor(issue: z.core.$ZodIssue): { key: AdminMessageKey; params?: Params } {
  const bound = (issue as { minimum?: number | bigint; maximum?: number | bigint }).minimum ?? (issue as { maximum?: number | bigint }).maximum
  const params = bound === undefined ? undefined : { n: Number(bound) }
  const origin = (issue as { origin?: string }).origin
  switch (issue.code) {
    case 'too_small':
      return origin === 'string' ? (Number(bound) <= 1 ? { key: 'form.required' } : { key: 'form.tooShort', params }) : origin === 'array' ? { key: 'form.required' } : { key: 'form.min', params }
    case 'too_big':
      return origin === 'string' ? { key: 'form.tooLong', params } : origin === 'array' ? { key: 'form.tooMany', params } : { key: 'form.max', params }
    case 'invalid_type':
      return { key: issue.expected === 'number' || issue.expected === 'int' ? 'form.number' : 'form.required' }
    case 'invalid_format':
      return { key: 'form.format' }
    case 'invalid_value':
      return { key: 'form.choose' }
    default:
      return { key: 'form.invalid' }
  }
}

const valueAt = (body: unknown, path: PropertyKey[]) => path.reduce<unknown>((node, part) => (node as Record<PropertyKey, unknown> | undefined)?.[part], body)

export interface SchemaFormOptions<S extends z.ZodType, D, R> {
  /** The shared contract the server validates the same body with (`#shared/schemas/...`). */
  schema: S
  /** A fresh working copy for the fields (money and lists as the text a person types). */
  draft: () => D
  /** The request body from the working copy (the copy itself when omitted). */
  toBody?: (draft: D, read: DraftReader) => unknown
  /** Messages that say more than the generic ones, by body path or a path's start (`postCodePrefixes`). */
  messages?: Record<string, AdminMessageKey>
  /** Sends the checked body with the attempt's Idempotency-Key; throw to report a failure. */
  send: (body: z.output<S>, headers: { 'Idempotency-Key': string }) => Promise<R>
  /** A question before sending (refunds, destructive changes): false stops quietly. */
  confirm?: (body: z.output<S>) => Promise<boolean>
  /** The toast after a success. */
  done?: (result: R) => string
  /** A prefix of messages for the server's error codes in this form (`refund.errors` -> `refund.errors.<code>` with `{detail}`). */
  errorMessages?: string
}

/**
 * One form pattern for every admin editor: a working copy, checked on submit with the same zod
 * schema the server uses (issues worded in the admin's language and shown on their fields), a busy
 * state, the request with one Idempotency-Key per attempt (kept when the connection broke, so a
 * second press can never do the thing twice; new after the server answered), a toast on success and
 * the server's refusal in words.
 */
export function useSchemaForm<S extends z.ZodType, D, R>(options: SchemaFormOptions<S, D, R>) {
  const { t, has, errorText } = useAdminI18n()
  const { toast } = useAdminFeedback()
  const draft = ref(options.draft()) as Ref<D>
  const errors = ref<Record<string, string>>({})
  const busy = ref(false)
  const failure = ref<string | null>(null)
  /** The last attempt lost its connection: the request may have arrived, the next press repeats it with the same key. */
  const retrying = ref(false)
  let key = crypto.randomUUID()

  function reset(next: D = options.draft()) {
    draft.value = next
    errors.value = {}
    failure.value = null
    retrying.value = false
    key = crypto.randomUUID()
  }

  /** The message for a field: its own path's, or the first under it (`postCodePrefixes` for `postCodePrefixes.1`). */
  const errorFor = (path: string) => errors.value[path] ?? Object.entries(errors.value).find(([p]) => p.startsWith(`${path}.`))?.[1]

  /** A form's own message replaces a generic one (`form.*`); a specific one (a form's own check) stays. */
  function word(path: string, issue: { key: AdminMessageKey; params?: Params }, body: unknown, raw: PropertyKey[]) {
    const own = issue.key.startsWith('form.') ? Object.entries(options.messages ?? {}).find(([p]) => path === p || path.startsWith(`${p}.`))?.[1] : undefined
    const value = valueAt(body, raw)
    return t(own ?? issue.key, { ...issue.params, value: typeof value === 'string' || typeof value === 'number' ? value : '' })
  }

  /** The checked body, or null with every problem on its field. */
  function check(): z.output<S> | null {
    const read = new DraftReader()
    const body = options.toBody ? options.toBody(draft.value, read) : draft.value
    const found: Record<string, string> = {}
    for (const issue of read.issues) found[issue.path] ??= word(issue.path, issue, body, issue.path.split('.'))
    const parsed = options.schema.safeParse(body)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String).join('.')
        found[path] ??= word(path, messageFor(issue), body, issue.path)
      }
    }
    errors.value = found
    return Object.keys(found).length || !parsed.success ? null : parsed.data
  }

  /** The server's refusal: its field details on the fields, its code in words. */
  function refused(error: ApiError) {
    const details = Array.isArray(error.details) ? (error.details as { path?: string; message?: string }[]) : []
    for (const d of details) if (d.path) errors.value = { ...errors.value, [d.path]: d.message ?? t('form.invalid') }
    const own = `${options.errorMessages}.${error.code}`
    failure.value = options.errorMessages && has(own) ? t(own, { detail: error.message }) : errorText(error)
  }

  /** Resolves with the server's answer, or undefined when nothing was sent or it failed (shown in the form). */
  async function submit(): Promise<R | undefined> {
    if (busy.value) return
    const body = check()
    if (!body) return
    if (options.confirm && !(await options.confirm(body))) return
    busy.value = true
    failure.value = null
    try {
      const result = await options.send(body, { 'Idempotency-Key': key })
      retrying.value = false
      key = crypto.randomUUID()
      if (options.done) toast(options.done(result))
      return result
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('unknown', 0, String(e))
      retrying.value = error.code === 'network'
      if (!retrying.value) {
        key = crypto.randomUUID()
        refused(error)
      }
    } finally {
      busy.value = false
    }
  }

  return { draft, errors, errorFor, busy, failure, retrying, submit, reset }
}

/** What the form frame (AdminForm) needs of any form, whatever its working copy and answer. */
export interface SchemaFormState {
  busy: Ref<boolean>
  failure: Ref<string | null>
  retrying: Ref<boolean>
  submit: () => Promise<unknown>
}
