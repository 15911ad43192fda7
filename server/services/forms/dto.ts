import type { FormRow, FormVersionRow, SubmissionDetail, SubmissionRow, DraftRow } from './index'
import { draftDto } from './index'

/** A form as the Mini App opens it: the published version to fill and the user's draft. */
export function toFillableFormDto(form: FormRow, version: FormVersionRow, draft: DraftRow | undefined) {
  return { slug: form.slug, title: version.title, description: form.description, audience: form.audience, version: version.version, definition: version.definition, draft: draft ? draftDto(draft) : null }
}

/** A form in a list of forms the user may fill. */
export const toFormSummaryDto = (form: FormRow) => ({ slug: form.slug, title: form.title, description: form.description, audience: form.audience })

/** A form as /admin edits it. */
export function toAdminFormDto(form: FormRow, submissions = 0) {
  return {
    id: form.id,
    slug: form.slug,
    title: form.title,
    description: form.description,
    audience: form.audience,
    destination: form.destination,
    definition: form.definition,
    publishedVersion: form.publishedVersion,
    submissions,
    updatedAt: form.updatedAt,
  }
}

/** What the sender gets back: enough to show "sent" in their outbox. */
export const toSubmissionReceiptDto = (s: SubmissionRow) => ({ id: s.id, status: s.status, createdAt: s.createdAt })

/** A submission in the /admin list. */
export function toAdminSubmissionDto(row: { submission: SubmissionRow; formSlug: string; formTitle: FormRow['title']; version: number }) {
  const s = row.submission
  return { id: s.id, form: { slug: row.formSlug, title: row.formTitle }, version: row.version, userId: s.userId, byStaff: s.byStaff, status: s.status, assigneeId: s.assigneeId, values: s.values, createdAt: s.createdAt, updatedAt: s.updatedAt }
}

/** A submission with the definition it was filled with, so every answer has its label. */
export const toAdminSubmissionDetailDto = (row: SubmissionDetail) => ({ ...toAdminSubmissionDto(row), definition: row.definition })
