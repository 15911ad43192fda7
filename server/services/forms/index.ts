import { and, count, desc, eq, gte, inArray, isNotNull, lt, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { isUniqueViolation } from '../../db/results'
import { formDrafts, formSubmissions, formVersions, forms } from '../../db/schema/forms'
import { can, type Role } from '#shared/permissions'
import { checkFormValues, type AdminSubmissionsQuery, type DraftSave, type FormInput, type SubmissionInput } from '#shared/schemas/forms'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext } from '../context'
import { emitIntegrationEvent } from '../integrations/outbox'
import { formSubmittedEvent } from './events'
import { createFileStore } from '../files'
import { submissionReceivedJob } from './jobs'

export type FormRow = typeof forms.$inferSelect
export type FormVersionRow = typeof formVersions.$inferSelect
export type DraftRow = typeof formDrafts.$inferSelect
export type SubmissionRow = typeof formSubmissions.$inferSelect

/** Who fills a form: a Mini App user, with the staff roles they hold (none for a customer). */
function fillerOf(ctx: ServiceContext): { userId: number; roles: readonly Role[] } {
  if (ctx.actor.kind === 'customer') return { userId: ctx.actor.userId, roles: [] }
  if (ctx.actor.kind === 'staff') return { userId: ctx.actor.userId, roles: ctx.actor.roles }
  throw new DomainError('forbidden', 'Forms are filled by people')
}

/** Whether someone with these roles may open a form: staff forms need the `forms.fill` permission. */
export const mayFill = (form: Pick<FormRow, 'audience'>, roles: readonly Role[]) => form.audience !== 'staff' || can(roles, 'forms.fill')

// ---- definitions (/admin) ----

/** Every form, newest first, for /admin. */
export async function listForms(db: DbOrTx) {
  return db.select().from(forms).orderBy(desc(forms.updatedAt), desc(forms.id))
}

export async function getForm(db: DbOrTx, id: number): Promise<FormRow> {
  const [form] = await db.select().from(forms).where(eq(forms.id, id))
  if (!form) throw new DomainError('not_found', 'No such form')
  return form
}

/** A new form (unpublished until `publishForm`). */
export async function createForm(ctx: ServiceContext, input: FormInput): Promise<FormRow> {
  try {
    return await write(ctx, async (w) => {
      const [form] = await w.db.insert(forms).values({ ...input, description: input.description ?? null }).returning()
      await w.audit({ action: 'forms.create', entityType: 'form', entityId: form!.id, after: input })
      return form!
    })
  } catch (error) {
    if (isUniqueViolation(error, 'forms_slug_idx')) throw new DomainError('conflict', 'Another form has this slug', 409, [{ path: 'slug', message: 'taken' }])
    throw error
  }
}

/** Changes the form being edited; what the Mini App shows changes only on `publishForm`. */
export async function updateForm(ctx: ServiceContext, id: number, patch: Partial<FormInput>): Promise<FormRow> {
  try {
    return await write(ctx, async (w) => {
      const before = await getForm(w.db, id)
      const [form] = await w.db.update(forms).set(patch).where(eq(forms.id, id)).returning()
      await w.audit({ action: 'forms.update', entityType: 'form', entityId: id, before: { slug: before.slug, audience: before.audience, destination: before.destination }, after: patch })
      return form!
    })
  } catch (error) {
    if (isUniqueViolation(error, 'forms_slug_idx')) throw new DomainError('conflict', 'Another form has this slug', 409, [{ path: 'slug', message: 'taken' }])
    throw error
  }
}

/** Publishes the edited definition as the next version; earlier versions stay for their submissions. */
export async function publishForm(ctx: ServiceContext, id: number): Promise<{ form: FormRow; version: FormVersionRow }> {
  return write(ctx, async (w) => {
    const [locked] = await w.db.select().from(forms).where(eq(forms.id, id)).for('update')
    if (!locked) throw new DomainError('not_found', 'No such form')
    const next = (locked.publishedVersion ?? 0) + 1
    const [version] = await w.db.insert(formVersions).values({ formId: id, version: next, title: locked.title, definition: locked.definition, publishedBy: ctx.actor.userId }).returning()
    const [form] = await w.db.update(forms).set({ publishedVersion: next }).where(eq(forms.id, id)).returning()
    await w.audit({ action: 'forms.publish', entityType: 'form', entityId: id, before: { version: locked.publishedVersion }, after: { version: next } })
    return { form: form!, version: version! }
  })
}

/** How many submissions each form has, for the /admin list. */
export async function submissionCounts(db: DbOrTx): Promise<Map<number, number>> {
  const rows = await db.select({ formId: formSubmissions.formId, n: count() }).from(formSubmissions).groupBy(formSubmissions.formId)
  return new Map(rows.map((r) => [r.formId, r.n]))
}

// ---- filling (Mini App) ----

async function publishedForm(db: DbOrTx, slug: string, roles: readonly Role[]) {
  const [form] = await db.select().from(forms).where(and(eq(forms.slug, slug), isNotNull(forms.publishedVersion)))
  // A staff form is "not found" for customers: its existence is not their business.
  if (!form || !mayFill(form, roles)) throw new DomainError('not_found', 'No such form')
  return form
}

async function versionOf(db: DbOrTx, formId: number, version: number) {
  const [row] = await db.select().from(formVersions).where(and(eq(formVersions.formId, formId), eq(formVersions.version, version)))
  return row
}

async function draftOf(db: DbOrTx, formId: number, userId: number) {
  const [draft] = await db.select().from(formDrafts).where(and(eq(formDrafts.formId, formId), eq(formDrafts.userId, userId)))
  return draft
}

/** The forms this person may fill (published; staff forms for staff only). */
export async function listFillableForms(ctx: ServiceContext) {
  const { roles } = fillerOf(ctx)
  const rows = await ctx.db.select().from(forms).where(isNotNull(forms.publishedVersion)).orderBy(forms.id)
  return rows.filter((f) => mayFill(f, roles))
}

/** A form as the Mini App opens it: the published version's definition and this user's draft, if any. */
export async function openForm(ctx: ServiceContext, slug: string) {
  const { userId, roles } = fillerOf(ctx)
  const form = await publishedForm(ctx.db, slug, roles)
  const version = (await versionOf(ctx.db, form.id, form.publishedVersion!))!
  const draft = await draftOf(ctx.db, form.id, userId)
  return { form, version, draft }
}

/**
 * Saves the user's draft (the Mini App calls it a moment after each change). A save must name the
 * revision it was based on: if another device saved meanwhile, it is refused with 409
 * `draft_conflict` and the current draft in `details`, so the client can merge and save again.
 */
export async function saveDraft(ctx: ServiceContext, slug: string, input: DraftSave): Promise<DraftRow> {
  const { userId, roles } = fillerOf(ctx)
  const form = await publishedForm(ctx.db, slug, roles)
  const conflict = (current: DraftRow | undefined) => new DomainError('draft_conflict', 'The draft was changed on another device; merge and save again', 409, { draft: current ? draftDto(current) : null })
  if (input.baseRevision === 0) {
    const [created] = await ctx.db.insert(formDrafts).values({ formId: form.id, userId, version: input.version, values: input.values, step: input.step, revision: 1 }).onConflictDoNothing().returning()
    if (created) return created
    throw conflict(await draftOf(ctx.db, form.id, userId))
  }
  const [updated] = await ctx.db
    .update(formDrafts)
    .set({ version: input.version, values: input.values, step: input.step, revision: input.baseRevision + 1 })
    .where(and(eq(formDrafts.formId, form.id), eq(formDrafts.userId, userId), eq(formDrafts.revision, input.baseRevision)))
    .returning()
  if (updated) return updated
  throw conflict(await draftOf(ctx.db, form.id, userId))
}

/** Throws the draft away (the user started over). */
export async function discardDraft(ctx: ServiceContext, slug: string): Promise<void> {
  const { userId, roles } = fillerOf(ctx)
  const form = await publishedForm(ctx.db, slug, roles)
  await ctx.db.delete(formDrafts).where(and(eq(formDrafts.formId, form.id), eq(formDrafts.userId, userId)))
}

export const draftDto = (d: DraftRow) => ({ version: d.version, values: d.values, step: d.step, revision: d.revision, updatedAt: d.updatedAt })

async function submissionByKey(db: DbOrTx, userId: number, key: string) {
  const [row] = await db.select().from(formSubmissions).where(and(eq(formSubmissions.userId, userId), eq(formSubmissions.idempotencyKey, key)))
  return row
}

/**
 * Stores a submission checked against the version it was filled with (the same zod schema the
 * Mini App checked it with), drops the draft and queues the follow-ups, in one transaction. The
 * same Idempotency-Key (the outbox resending after a lost answer) returns the first submission.
 */
export async function submitForm(ctx: ServiceContext, slug: string, input: SubmissionInput, idempotencyKey: string): Promise<{ submission: SubmissionRow; created: boolean }> {
  const { userId, roles } = fillerOf(ctx)
  const existing = await submissionByKey(ctx.db, userId, idempotencyKey)
  if (existing) return { submission: existing, created: false }
  const form = await publishedForm(ctx.db, slug, roles)
  const version = await versionOf(ctx.db, form.id, input.version)
  if (!version) throw new DomainError('form_version_unknown', 'The form has no such version; reopen it', 409, { publishedVersion: form.publishedVersion })
  const checked = checkFormValues(version.definition, input.values)
  if (!checked.ok) throw new DomainError('form_invalid', 'Some answers do not fit the form', 400, checked.errors)
  try {
    const submission = await write(ctx, async (w) => {
      const [row] = await w.db
        .insert(formSubmissions)
        .values({ formId: form.id, formVersionId: version.id, userId, byStaff: roles.length > 0, values: checked.values, idempotencyKey })
        .returning()
      await w.db.delete(formDrafts).where(and(eq(formDrafts.formId, form.id), eq(formDrafts.userId, userId)))
      await w.enqueue(submissionReceivedJob, { submissionId: row!.id }, { singletonKey: `form-submission-${row!.id}` })
      await emitIntegrationEvent(w, formSubmittedEvent(form, version, row!))
      return row!
    })
    return { submission, created: true }
  } catch (error) {
    if (isUniqueViolation(error, 'form_submissions_idempotency_idx')) {
      const submission = await submissionByKey(ctx.db, userId, idempotencyKey)
      if (submission) return { submission, created: false }
    }
    throw error
  }
}

/** What this person sent since a moment (the field staff's "sent today"), newest first. */
export async function mySubmissions(ctx: ServiceContext, since: Date) {
  const { userId } = fillerOf(ctx)
  return ctx.db
    .select({ id: formSubmissions.id, status: formSubmissions.status, createdAt: formSubmissions.createdAt, formSlug: forms.slug, formTitle: forms.title })
    .from(formSubmissions)
    .innerJoin(forms, eq(forms.id, formSubmissions.formId))
    .where(and(eq(formSubmissions.userId, userId), gte(formSubmissions.createdAt, since)))
    .orderBy(desc(formSubmissions.id))
    .limit(100)
}

/** Keeps a form photo (type checked from its bytes, at most 5 MB) and answers its path for the field's value. */
export async function saveFormPhoto(ctx: ServiceContext, bytes: Buffer) {
  fillerOf(ctx)
  return createFileStore(ctx.config.dataDir).saveImage('forms', bytes)
}

// ---- submissions (/admin) ----

function submissionFilters(query: Omit<AdminSubmissionsQuery, 'limit' | 'before'> & { before?: number }, formId?: number): SQL[] {
  const where: SQL[] = []
  if (formId !== undefined) where.push(eq(formSubmissions.formId, formId))
  if (query.status) where.push(eq(formSubmissions.status, query.status))
  if (query.from) where.push(gte(formSubmissions.createdAt, query.from))
  if (query.to) where.push(lt(formSubmissions.createdAt, query.to))
  if (query.before) where.push(lt(formSubmissions.id, query.before))
  return where
}

async function formIdBySlug(db: DbOrTx, slug: string | undefined) {
  if (!slug) return undefined
  const [form] = await db.select({ id: forms.id }).from(forms).where(eq(forms.slug, slug))
  return form?.id ?? -1
}

/** Submissions for operators, newest first, filtered by form, status and dates; keyset pages by id. */
export async function listSubmissions(db: DbOrTx, query: AdminSubmissionsQuery) {
  const formId = await formIdBySlug(db, query.form)
  const rows = await db
    .select({ submission: formSubmissions, formSlug: forms.slug, formTitle: forms.title, version: formVersions.version })
    .from(formSubmissions)
    .innerJoin(forms, eq(forms.id, formSubmissions.formId))
    .innerJoin(formVersions, eq(formVersions.id, formSubmissions.formVersionId))
    .where(and(...submissionFilters(query, formId)))
    .orderBy(desc(formSubmissions.id))
    .limit(query.limit + 1)
  const items = rows.slice(0, query.limit)
  return { items, nextBefore: rows.length > query.limit ? items.at(-1)!.submission.id : null }
}

/** One submission with the definition it was filled with (labels for every answer). */
export async function getSubmission(db: DbOrTx, id: number) {
  const [row] = await db
    .select({ submission: formSubmissions, formSlug: forms.slug, formTitle: forms.title, destination: forms.destination, version: formVersions.version, definition: formVersions.definition })
    .from(formSubmissions)
    .innerJoin(forms, eq(forms.id, formSubmissions.formId))
    .innerJoin(formVersions, eq(formVersions.id, formSubmissions.formVersionId))
    .where(eq(formSubmissions.id, id))
  if (!row) throw new DomainError('not_found', 'No such submission')
  return row
}
export type SubmissionDetail = Awaited<ReturnType<typeof getSubmission>>

/** An operator moves a submission along (new / in work / done) or assigns it. */
export async function updateSubmission(ctx: ServiceContext, id: number, patch: { status?: SubmissionRow['status']; assigneeId?: number | null }) {
  return write(ctx, async (w) => {
    const [before] = await w.db.select().from(formSubmissions).where(eq(formSubmissions.id, id)).for('update')
    if (!before) throw new DomainError('not_found', 'No such submission')
    const [after] = await w.db.update(formSubmissions).set(patch).where(eq(formSubmissions.id, id)).returning()
    await w.audit({ action: 'forms.submission.update', entityType: 'form_submission', entityId: id, before: { status: before.status, assigneeId: before.assigneeId }, after: patch })
    return after!
  })
}

/** Several submissions' detail rows by id (the CSV export), in id order. */
export async function submissionsForExport(db: DbOrTx, query: AdminSubmissionsQuery) {
  const formId = await formIdBySlug(db, query.form)
  return db
    .select({ submission: formSubmissions, formSlug: forms.slug, version: formVersions.version, definition: formVersions.definition })
    .from(formSubmissions)
    .innerJoin(forms, eq(forms.id, formSubmissions.formId))
    .innerJoin(formVersions, eq(formVersions.id, formSubmissions.formVersionId))
    .where(and(...submissionFilters({ ...query, before: undefined }, formId)))
    .orderBy(formSubmissions.id)
    .limit(50_000)
}

/** Submission rows by id, for the notification job. */
export async function submissionsByIds(db: DbOrTx, ids: number[]) {
  if (!ids.length) return []
  return db.select().from(formSubmissions).where(inArray(formSubmissions.id, ids))
}
