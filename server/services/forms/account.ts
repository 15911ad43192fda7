import { and, desc, eq, lt, sql } from 'drizzle-orm'
import { formSubmissions, forms } from '../../db/schema/forms'
import type { HistoryItem } from '#shared/schemas/account'
import type { AccountSection } from '../account/registry'
import { containsPattern } from '../../db/like'

/**
 * The forms module's part of the personal account: what the customer sent (history and export with
 * every answer) and, on deletion, their submissions (their drafts go with the user row). Staff
 * accounts are never deleted this way, so field reports stay.
 */
export const formsAccountSection: AccountSection = {
  key: 'forms',
  async history(db, userId, { before, limit, q }) {
    const filters = [eq(formSubmissions.userId, userId)]
    if (before) filters.push(lt(formSubmissions.createdAt, before))
    if (q) filters.push(sql`(${forms.title}->>'ru' ilike ${containsPattern(q)} or ${forms.title}->>'en' ilike ${containsPattern(q)})`)
    const rows = await db
      .select({ id: formSubmissions.id, status: formSubmissions.status, createdAt: formSubmissions.createdAt, title: forms.title, slug: forms.slug })
      .from(formSubmissions)
      .innerJoin(forms, eq(forms.id, formSubmissions.formId))
      .where(and(...filters))
      .orderBy(desc(formSubmissions.createdAt), desc(formSubmissions.id))
      .limit(limit)
    return rows.map(
      (s): HistoryItem => ({
        module: 'forms',
        id: String(s.id),
        title: s.title.ru || s.title.en,
        status: s.status,
        nextStep: null,
        amountMinor: null,
        currency: null,
        link: `/app/forms/${s.slug}`,
        at: s.createdAt.toISOString(),
      }),
    )
  },
  async exportData(db, userId) {
    const rows = await db
      .select({ id: formSubmissions.id, form: forms.slug, title: forms.title, status: formSubmissions.status, values: formSubmissions.values, createdAt: formSubmissions.createdAt })
      .from(formSubmissions)
      .innerJoin(forms, eq(forms.id, formSubmissions.formId))
      .where(eq(formSubmissions.userId, userId))
      .orderBy(formSubmissions.id)
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }))
  },
  async erase(w, userId) {
    const removed = await w.db.delete(formSubmissions).where(eq(formSubmissions.userId, userId)).returning({ id: formSubmissions.id })
    return { formSubmissionsDeleted: removed.length }
  },
}
