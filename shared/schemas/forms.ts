import { z } from 'zod'
import { containsUnstorableText, rowId, rowIdParam, queryDate, text } from './common'
import { LocalizedTextSchema } from './catalog'

/**
 * The forms contract. A form definition (steps of typed fields with rules) is data, stored and
 * versioned on the server; `formValuesSchema(definition)` turns one into the zod schema that both
 * the Mini App (before Next / Send) and the server (on submit) check values with, so the two can
 * never disagree about what a valid answer is.
 */

export const FORM_FIELD_TYPES = ['text', 'textarea', 'number', 'phone', 'email', 'date', 'time', 'choice', 'multichoice', 'photo', 'location', 'consent'] as const
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number]
/** Who may open and send a form: anyone with the Mini App, customers only (not staff), or field staff (role `staff` and up). */
export const FORM_AUDIENCES = ['anyone', 'customers', 'staff'] as const
export type FormAudience = (typeof FORM_AUDIENCES)[number]
/** Where a submission goes besides the list in /admin: `operators` are told in the chat. */
export const FORM_DESTINATIONS = ['none', 'operators'] as const
export const SUBMISSION_STATUSES = ['new', 'in_work', 'done'] as const
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number]

/** Why a value was refused: the Mini App and /admin word these in the user's language. */
export const FIELD_ERRORS = ['required', 'hidden', 'unknown', 'invalid', 'too_short', 'too_long', 'too_small', 'too_big'] as const
export type FieldErrorReason = (typeof FIELD_ERRORS)[number]

const fieldKey = () => text().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a field key is a-z, 0-9 and _, starting with a letter, up to 40 characters')
export const FORM_SLUG = /^[a-z0-9][a-z0-9-]{0,47}$/
const slug = () => text().trim().regex(FORM_SLUG, 'a slug is a-z, 0-9 and -, up to 48 characters')
const optionalLocalized = LocalizedTextSchema.partial().optional()

export const FormFieldSchema = z.object({
  key: fieldKey(),
  type: z.enum(FORM_FIELD_TYPES),
  label: LocalizedTextSchema,
  help: optionalLocalized,
  required: z.boolean().default(false),
  /** Choices of `choice` / `multichoice`. */
  options: z.array(z.object({ value: fieldKey(), label: LocalizedTextSchema })).max(50).optional(),
  /** Text: length; number: value; multichoice and photo: how many. */
  min: z.number().finite().min(-1e12).max(1e12).optional(),
  max: z.number().finite().min(-1e12).max(1e12).optional(),
  /** Shown only when the earlier field `field` has one of `equals` (for multichoice: contains one). */
  showIf: z.object({ field: fieldKey(), equals: z.array(text().max(200)).min(1).max(20) }).optional(),
})
export type FormField = z.output<typeof FormFieldSchema>

export const FormStepSchema = z.object({ title: LocalizedTextSchema, fields: z.array(FormFieldSchema).min(1).max(30) })

/** Steps and fields; keys unique, conditions only on earlier fields, choices with options. */
export const FormDefinitionSchema = z
  .object({ steps: z.array(FormStepSchema).min(1).max(20) })
  .superRefine((definition, ctx) => {
    const seen = new Map<string, FormField>()
    definition.steps.forEach((step, s) =>
      step.fields.forEach((field, f) => {
        const path = ['steps', s, 'fields', f]
        if (seen.has(field.key)) ctx.addIssue({ code: 'custom', path: [...path, 'key'], message: `the key "${field.key}" is used twice` })
        if ((field.type === 'choice' || field.type === 'multichoice') && !field.options?.length) ctx.addIssue({ code: 'custom', path: [...path, 'options'], message: 'a choice needs options' })
        if (field.showIf) {
          const source = seen.get(field.showIf.field)
          if (!source) ctx.addIssue({ code: 'custom', path: [...path, 'showIf', 'field'], message: 'a condition can only use an earlier field' })
        }
        if (field.min !== undefined && field.max !== undefined && field.min > field.max) ctx.addIssue({ code: 'custom', path: [...path, 'max'], message: 'max is below min' })
        seen.set(field.key, field)
      }),
    )
  })
export type FormDefinition = z.output<typeof FormDefinitionSchema>

/** A form as /admin edits it: the next version's definition plus who fills it and where it goes. */
export const FormInputSchema = z.object({
  slug: slug(),
  title: LocalizedTextSchema,
  description: optionalLocalized,
  audience: z.enum(FORM_AUDIENCES),
  destination: z.enum(FORM_DESTINATIONS).default('operators'),
  definition: FormDefinitionSchema,
})
export type FormInput = z.output<typeof FormInputSchema>
export const FormPatchSchema = FormInputSchema.partial()

export const FormSlugParamsSchema = z.object({ slug: slug() })
export const FormIdParamsSchema = z.object({ id: rowIdParam() })

/** Values as a draft holds them: any keys of the form, any storable JSON, unchecked until sent. */
export const DraftValuesSchema = z
  .record(fieldKey(), z.unknown())
  .refine((v) => Object.keys(v).length <= 600, 'too many fields')
  .refine((v) => !containsUnstorableText(v), 'must not contain the NUL character or broken Unicode')
  .refine((v) => JSON.stringify(v).length <= 60_000, 'a draft is at most 60 000 characters')

export const DraftSaveSchema = z.object({
  /** The form version the values were typed against. */
  version: z.number().int().positive().max(100_000),
  values: DraftValuesSchema,
  step: z.number().int().min(0).max(19),
  /** The draft revision this save is based on (0 for none): a stale base answers 409 `draft_conflict`. */
  baseRevision: z.number().int().min(0).max(2_000_000_000),
})
export type DraftSave = z.output<typeof DraftSaveSchema>

export const SubmissionSchema = z.object({ version: z.number().int().positive().max(100_000), values: DraftValuesSchema })
export type SubmissionInput = z.output<typeof SubmissionSchema>

export const MySubmissionsQuerySchema = z.object({ since: queryDate().optional() })

export const AdminSubmissionsQuerySchema = z.object({
  form: slug().optional(),
  status: z.enum(SUBMISSION_STATUSES).optional(),
  from: queryDate().optional(),
  to: queryDate().optional(),
  before: rowIdParam().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})
export type AdminSubmissionsQuery = z.output<typeof AdminSubmissionsQuerySchema>

export const SubmissionPatchSchema = z
  .object({ status: z.enum(SUBMISSION_STATUSES).optional(), assigneeId: rowId().nullable().optional() })
  .refine((p) => p.status !== undefined || p.assigneeId !== undefined, 'change the status or the assignee')

/** Where uploaded form photos live (server/services/files); a photo value is a list of these. */
export const FORM_PHOTO_PATH = /^\/files\/forms\/[0-9a-f-]{36}\.(?:jpg|png|webp|gif)$/

// ---- values: one zod schema from a definition ----

export type FormValues = Record<string, unknown>

/** Empty answers count as not given: '', null, [], and an unticked consent. */
export const isEmptyValue = (v: unknown) => v === undefined || v === null || v === '' || v === false || (Array.isArray(v) && v.length === 0)

/** Whether `field` shows with these values: its condition holds and the field it depends on shows. */
export function isFieldVisible(definition: FormDefinition, field: FormField, values: FormValues, depth = 0): boolean {
  if (!field.showIf || depth > 600) return true
  const source = allFields(definition).find((f) => f.key === field.showIf!.field)
  if (!source || !isFieldVisible(definition, source, values, depth + 1)) return false
  const value = values[source.key]
  const given = Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : [String(value)]
  return given.some((v) => field.showIf!.equals.includes(v))
}

export const allFields = (definition: FormDefinition) => definition.steps.flatMap((s) => s.fields)

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/
const DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/
const PHONE = /^\+?[\d\s()-]{5,24}$/

const reason = (r: FieldErrorReason) => ({ error: () => r })

/** The zod schema of one field's value (present and non-empty), with its min/max. */
export function fieldValueSchema(field: FormField): z.ZodType {
  const { min, max } = field
  const length = (s: z.ZodString, fallbackMax: number) => s.min(Math.max(0, min ?? 0), reason('too_short')).max(Math.min(max ?? fallbackMax, fallbackMax), reason('too_long'))
  switch (field.type) {
    case 'text':
      return length(text().trim(), 500)
    case 'textarea':
      return length(text().trim(), 5000)
    case 'number': {
      let n = z.number(reason('invalid')).finite(reason('invalid'))
      if (min !== undefined) n = n.min(min, reason('too_small'))
      if (max !== undefined) n = n.max(max, reason('too_big'))
      return n
    }
    case 'phone':
      return z.string(reason('invalid')).trim().regex(PHONE, reason('invalid')).refine((v) => (v.match(/\d/g)?.length ?? 0) >= 5, reason('invalid'))
    case 'email':
      return z.string(reason('invalid')).trim().max(254, reason('too_long')).pipe(z.email(reason('invalid')))
    case 'date':
      return z.string(reason('invalid')).regex(DATE, reason('invalid'))
    case 'time':
      return z.string(reason('invalid')).regex(TIME, reason('invalid'))
    case 'choice':
      return z.enum((field.options ?? []).map((o) => o.value) as [string, ...string[]], reason('invalid'))
    case 'multichoice':
      return z
        .array(z.enum((field.options ?? []).map((o) => o.value) as [string, ...string[]], reason('invalid')), reason('invalid'))
        .min(Math.max(0, min ?? 0), reason('too_short'))
        .max(Math.min(max ?? 50, 50), reason('too_long'))
        .refine((a) => new Set(a).size === a.length, reason('invalid'))
    case 'photo':
      return z
        .array(z.string(reason('invalid')).regex(FORM_PHOTO_PATH, reason('invalid')), reason('invalid'))
        .min(Math.max(0, min ?? 0), reason('too_short'))
        .max(Math.min(max ?? 5, 10), reason('too_long'))
    case 'location':
      return z.object(
        {
          lat: z.number(reason('invalid')).min(-90, reason('invalid')).max(90, reason('invalid')),
          lon: z.number(reason('invalid')).min(-180, reason('invalid')).max(180, reason('invalid')),
          accuracy: z.number(reason('invalid')).min(0, reason('invalid')).max(1e6, reason('invalid')).optional(),
        },
        reason('invalid'),
      )
    case 'consent':
      return z.literal(true, reason('required'))
  }
}

export interface FormValuesOptions {
  /** Check only the fields of these steps (the Mini App checks one step before Next). */
  steps?: number[]
}

/**
 * The zod schema for a form's values, built from its definition: every visible field checked by
 * type and limits, required ones present, hidden (conditional) ones empty, unknown keys refused.
 * The output holds the visible, non-empty values only. Issues have the field key as path and a
 * `FieldErrorReason` as message.
 */
export function formValuesSchema(definition: FormDefinition, options: FormValuesOptions = {}) {
  const fields = definition.steps.flatMap((step, index) => (options.steps && !options.steps.includes(index) ? [] : step.fields))
  const known = new Set(allFields(definition).map((f) => f.key))
  return z.record(z.string(), z.unknown(), reason('invalid')).transform((values, ctx) => {
    const out: FormValues = {}
    if (!options.steps) for (const key of Object.keys(values)) if (!known.has(key) && !isEmptyValue(values[key])) ctx.addIssue({ code: 'custom', path: [key], message: 'unknown' })
    for (const field of fields) {
      const value = values[field.key]
      const empty = isEmptyValue(value)
      if (!isFieldVisible(definition, field, values)) {
        if (!empty) ctx.addIssue({ code: 'custom', path: [field.key], message: 'hidden' })
        continue
      }
      if (empty) {
        if (field.required) ctx.addIssue({ code: 'custom', path: [field.key], message: 'required' })
        continue
      }
      const parsed = fieldValueSchema(field).safeParse(value)
      if (!parsed.success) {
        const first = parsed.error.issues[0]
        const message = (FIELD_ERRORS as readonly string[]).includes(first?.message ?? '') ? first!.message : 'invalid'
        ctx.addIssue({ code: 'custom', path: [field.key], message })
        continue
      }
      out[field.key] = parsed.data
    }
    return out
  })
}

/** One problem per field, as the API's `details` and the Mini App's field errors carry them. */
export interface FieldError {
  path: string
  code: FieldErrorReason
  message: string
}

const REASON_TEXT: Record<FieldErrorReason, string> = {
  required: 'This field is required',
  hidden: 'This field does not apply to the answers given and must be empty',
  unknown: 'The form has no such field',
  invalid: 'The value does not fit this field',
  too_short: 'Too short or too few',
  too_long: 'Too long or too many',
  too_small: 'The number is too small',
  too_big: 'The number is too large',
}

/** Checks values against a definition: the cleaned values, or one error per field. */
export function checkFormValues(definition: FormDefinition, values: unknown, options?: FormValuesOptions): { ok: true; values: FormValues } | { ok: false; errors: FieldError[] } {
  const parsed = formValuesSchema(definition, options).safeParse(values)
  if (parsed.success) return { ok: true, values: parsed.data }
  const errors = new Map<string, FieldError>()
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.') || '_'
    const code = ((FIELD_ERRORS as readonly string[]).includes(issue.message) ? issue.message : 'invalid') as FieldErrorReason
    if (!errors.has(path)) errors.set(path, { path, code, message: REASON_TEXT[code] })
  }
  return { ok: false, errors: [...errors.values()] }
}
