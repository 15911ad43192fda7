import type { DbOrTx } from '../../db/client'
import type { AdminSubmissionsQuery } from '#shared/schemas/forms'
import { toCsv } from '../../utils/csv'
import { submissionsForExport } from './index'

/** One cell for an answer: lists joined with "; ", a location as "lat, lon", a consent as "yes". */
export function answerCell(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) return value.map(answerCell).join('; ')
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'object') {
    const loc = value as { lat?: unknown; lon?: unknown }
    if (typeof loc.lat === 'number' && typeof loc.lon === 'number') return `${loc.lat}, ${loc.lon}`
    return JSON.stringify(value)
  }
  return String(value)
}

/** Submissions as CSV (same filters as the list): fixed columns, then one column per field key met. */
export async function exportSubmissionsCsv(db: DbOrTx, query: AdminSubmissionsQuery, publicUrl = ''): Promise<string> {
  const rows = await submissionsForExport(db, query)
  const keys: string[] = []
  for (const row of rows) for (const step of row.definition.steps) for (const field of step.fields) if (!keys.includes(field.key)) keys.push(field.key)
  const photoKeys = new Set(rows.flatMap((r) => r.definition.steps.flatMap((s) => s.fields.filter((f) => f.type === 'photo').map((f) => f.key))))
  const cell = (key: string, value: unknown) => (photoKeys.has(key) && Array.isArray(value) ? value.map((p) => `${publicUrl}${p}`).join('; ') : answerCell(value))
  return toCsv([
    ['id', 'created_at', 'form', 'version', 'telegram_id', 'staff', 'status', 'assignee', ...keys],
    ...rows.map(({ submission: s, formSlug, version }) => [
      String(s.id),
      s.createdAt.toISOString(),
      formSlug,
      String(version),
      String(s.userId),
      s.byStaff ? 'yes' : 'no',
      s.status,
      s.assigneeId === null ? '' : String(s.assigneeId),
      ...keys.map((k) => cell(k, s.values[k])),
    ]),
  ])
}
