import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { formSubmissions, users } from '../../../../server/db/schema'
import { createForm, listFillableForms, openForm, publishForm, saveDraft, submitForm, updateForm, updateSubmission, mySubmissions, listSubmissions } from '../../../../server/services/forms'
import { exportSubmissionsCsv } from '../../../../server/services/forms/export'
import type { DomainError } from '../../../../server/utils/errors'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { DEMO_FORMS } from '../../../../server/services/demo/seed-data'
import { AdminSubmissionsQuerySchema, FormInputSchema, checkFormValues, type FormInput } from '../../../../shared/schemas/forms'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

let handle: DatabaseHandle
let services: TestServices
const CUSTOMER = 7001
const OTHER = 7002
const FIELD = 7003

const l = (en: string) => ({ ru: en, en })
const callback: FormInput = FormInputSchema.parse({
  slug: 'callback',
  title: l('Call me back'),
  audience: 'anyone',
  definition: {
    steps: [
      {
        title: l('Contact'),
        fields: [
          { key: 'name', type: 'text', label: l('Name'), required: true, max: 60 },
          { key: 'phone', type: 'phone', label: l('Phone'), required: true },
          { key: 'topic', type: 'choice', label: l('Topic'), required: true, options: [{ value: 'order', label: l('Order') }, { value: 'other', label: l('Other') }] },
          { key: 'order_number', type: 'text', label: l('Order number'), required: true, showIf: { field: 'topic', equals: ['order'] } },
        ],
      },
      { title: l('When'), fields: [{ key: 'guests', type: 'number', label: l('People'), min: 1, max: 20 }, { key: 'agree', type: 'consent', label: l('I agree'), required: true }] },
    ],
  },
})
const valid = { name: 'Мария', phone: '+7 900 123-45-67', topic: 'other', guests: 2, agree: true }

async function person(id: number, roles: string[] = []) {
  await handle.db.insert(users).values({ telegramId: id, firstName: `P${id}` }).onConflictDoNothing()
  return roles.length ? services.staff(id, roles as never) : services.customer(id)
}
const errorOf = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    return e as DomainError
  }
  throw new Error('expected a refusal')
}

beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle)
  await person(CUSTOMER)
  await person(OTHER)
  await person(FIELD, ['staff'])
  await person(1, ['owner'])
  const form = await createForm(services.staff(1), callback)
  await publishForm(services.staff(1), form.id)
})
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

describe(`forms on ${engine}`, () => {
  it('checks answers with one schema built from the definition: required, hidden conditional fields, types', () => {
    const def = callback.definition
    expect(checkFormValues(def, valid)).toEqual({ ok: true, values: { name: 'Мария', phone: '+7 900 123-45-67', topic: 'other', guests: 2, agree: true } })
    const bad = checkFormValues(def, { name: '', phone: 'call me', topic: 'other', order_number: '42', guests: '2', agree: false, extra: 'x' })
    expect(bad.ok).toBe(false)
    const byField = Object.fromEntries((bad as { errors: { path: string; code: string }[] }).errors.map((e) => [e.path, e.code]))
    expect(byField).toEqual({ name: 'required', phone: 'invalid', order_number: 'hidden', guests: 'invalid', agree: 'required', extra: 'unknown' })
    // The condition holds: the dependent field is now required.
    expect(checkFormValues(def, { ...valid, topic: 'order' })).toMatchObject({ ok: false, errors: [{ path: 'order_number', code: 'required' }] })
    // One step at a time, as the Mini App checks before Next.
    expect(checkFormValues(def, { name: 'A', phone: '+79001234567', topic: 'other' }, { steps: [0] }).ok).toBe(true)
  })

  it('refuses a hand-crafted submission with per-field errors and stores nothing', async () => {
    const ctx = await person(CUSTOMER)
    const error = await errorOf(submitForm(ctx, 'callback', { version: 1, values: { name: 'A', topic: 'other', order_number: '7', guests: 'many', agree: true } }, 'bad-submission-1'))
    expect(error.code).toBe('form_invalid')
    expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'phone', code: 'required' }), expect.objectContaining({ path: 'order_number', code: 'hidden' }), expect.objectContaining({ path: 'guests', code: 'invalid' })]))
    expect(await handle.db.select().from(formSubmissions).where(eq(formSubmissions.idempotencyKey, 'bad-submission-1'))).toEqual([])
  })

  it('keeps one draft per user, continued on another device, and refuses a save based on a stale revision', async () => {
    const phone = await person(CUSTOMER)
    const first = await saveDraft(phone, 'callback', { version: 1, values: { name: 'Ма' }, step: 0, baseRevision: 0 })
    expect(first.revision).toBe(1)
    const second = await saveDraft(phone, 'callback', { version: 1, values: { name: 'Мария' }, step: 0, baseRevision: 1 })
    expect(second.revision).toBe(2)
    // The laptop opens the form: it continues where the phone stopped.
    const opened = await openForm(await person(CUSTOMER), 'callback')
    expect(opened.draft).toMatchObject({ values: { name: 'Мария' }, revision: 2 })
    // The phone still thinks revision 1 is current: refused, with the current draft to merge.
    const conflict = await errorOf(saveDraft(phone, 'callback', { version: 1, values: { name: 'M' }, step: 0, baseRevision: 1 }))
    expect(conflict.code).toBe('draft_conflict')
    expect((conflict.details as { draft: { revision: number; values: unknown } }).draft).toMatchObject({ revision: 2, values: { name: 'Мария' } })
    // Someone else's draft is their own.
    expect((await openForm(await person(OTHER), 'callback')).draft).toBeUndefined()
  })

  it('stores a submission once per Idempotency-Key, even sent twice at the same time, drops the draft and queues the operators', async () => {
    const ctx = await person(CUSTOMER)
    const [a, b] = await Promise.all([submitForm(ctx, 'callback', { version: 1, values: valid }, 'outbox-key-0001'), submitForm(ctx, 'callback', { version: 1, values: valid }, 'outbox-key-0001')])
    expect(a.submission.id).toBe(b.submission.id)
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1)
    const again = await submitForm(ctx, 'callback', { version: 1, values: valid }, 'outbox-key-0001')
    expect(again).toMatchObject({ created: false, submission: { id: a.submission.id } })
    expect(await handle.db.select().from(formSubmissions).where(eq(formSubmissions.idempotencyKey, 'outbox-key-0001'))).toHaveLength(1)
    expect((await openForm(ctx, 'callback')).draft).toBeUndefined()
    expect((await services.queued('forms.submission-received')).map((j) => j.data)).toContainEqual({ submissionId: a.submission.id })
    expect((await mySubmissions(ctx, new Date(Date.now() - 3600_000))).map((s) => s.id)).toContain(a.submission.id)
  })

  it('keeps the version a submission was filled with after the form is republished', async () => {
    const owner = services.staff(1)
    const form = (await openForm(await person(CUSTOMER), 'callback')).form
    const changed = structuredClone(callback.definition)
    changed.steps[0]!.fields.push({ key: 'email', type: 'email', label: l('Email'), required: true })
    await updateForm(owner, form.id, { definition: changed })
    expect((await openForm(await person(CUSTOMER), 'callback')).version.version).toBe(1) // not yet published
    await publishForm(owner, form.id)
    const ctx = await person(OTHER)
    expect((await openForm(ctx, 'callback')).version.version).toBe(2)
    // An outbox item typed against version 1 is still accepted as version 1.
    const old = await submitForm(ctx, 'callback', { version: 1, values: valid }, 'outbox-old-version')
    expect(old.created).toBe(true)
    expect((await errorOf(submitForm(ctx, 'callback', { version: 2, values: valid }, 'outbox-new-version'))).details).toEqual([expect.objectContaining({ path: 'email', code: 'required' })])
    expect((await errorOf(submitForm(ctx, 'callback', { version: 9, values: valid }, 'outbox-no-version'))).code).toBe('form_version_unknown')
  })

  it('shows staff forms to staff only, and lists field reports for operators with CSV', async () => {
    const owner = services.staff(1)
    const report = await createForm(
      owner,
      FormInputSchema.parse({
        slug: 'visit',
        title: l('Visit report'),
        audience: 'staff',
        definition: { steps: [{ title: l('Visit'), fields: [{ key: 'photos', type: 'photo', label: l('Photos'), required: true, min: 2 }, { key: 'where', type: 'location', label: l('Where'), required: true }] }] },
      }),
    )
    await publishForm(owner, report.id)
    expect((await listFillableForms(await person(CUSTOMER))).map((f) => f.slug)).not.toContain('visit')
    expect((await errorOf(openForm(await person(CUSTOMER), 'visit'))).code).toBe('not_found')
    const field = await person(FIELD, ['staff'])
    expect((await listFillableForms(field)).map((f) => f.slug)).toContain('visit')
    const photos = ['/files/forms/00000000-0000-4000-8000-000000000001.jpg', '/files/forms/00000000-0000-4000-8000-000000000002.jpg']
    const { submission } = await submitForm(field, 'visit', { version: 1, values: { photos, where: { lat: 55.75, lon: 37.61 } } }, 'field-report-0001')
    expect(submission.byStaff).toBe(true)
    await updateSubmission(owner, submission.id, { status: 'in_work', assigneeId: 1 })
    const list = await listSubmissions(handle.db, AdminSubmissionsQuerySchema.parse({ form: 'visit' }))
    expect(list.items.map((i) => [i.submission.id, i.submission.status])).toEqual([[submission.id, 'in_work']])
    const csv = await exportSubmissionsCsv(handle.db, AdminSubmissionsQuerySchema.parse({ form: 'visit' }), 'https://shop.example')
    expect(csv).toContain('https://shop.example/files/forms/00000000-0000-4000-8000-000000000001.jpg; https://shop.example/files/forms/00000000-0000-4000-8000-000000000002.jpg')
    expect(csv).toContain('"55.75, 37.61"')
  })

  it('seeds valid, published demo forms in Russian and English, once', async () => {
    for (const form of DEMO_FORMS) expect(FormInputSchema.safeParse(form).success).toBe(true)
    await seedDemoData(handle.db, { people: false })
    await seedDemoData(handle.db, { people: false })
    const opened = await openForm(await person(CUSTOMER), 'catering')
    expect(opened.version.version).toBe(1)
    expect(opened.version.title).toEqual({ ru: 'Заявка на кейтеринг', en: 'Catering request' })
    expect((await listFillableForms(await person(FIELD, ['staff']))).map((f) => f.slug)).toEqual(expect.arrayContaining(['catering', 'visit-report']))
  })
})
