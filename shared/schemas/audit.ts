import { z } from 'zod'
import { queryDate, text } from './common'

const optionalText = text().trim().min(1).max(200).optional()

/** `GET /api/admin/audit` and `/api/admin/audit/export.csv` filters; `cursor` is the previous page's `nextCursor`. */
export const AuditQuerySchema = z.object({
  actor: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  entityType: optionalText,
  entityId: optionalText,
  action: optionalText,
  from: queryDate().optional(),
  to: queryDate().optional(),
  cursor: text().regex(/^\d{1,18}$/, 'not a cursor').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
export type AuditQuery = z.infer<typeof AuditQuerySchema>

export interface AuditItem {
  id: number
  actorId: number | null
  /** The actor's name as Telegram gives it now; null for the system, a visitor or someone unknown. */
  actorName: string | null
  actorVia: string
  action: string
  entityType: string
  entityId: string | null
  /** For entries about a user (roles, sign-ins): that person's name. */
  subjectName: string | null
  before: unknown
  after: unknown
  requestId: string | null
  ip: string | null
  createdAt: string
}

export interface AuditPage {
  items: AuditItem[]
  nextCursor: string | null
  /** The whole log's hash chain, verified now; on the first page only (no `cursor`). */
  chain?: AuditChainStatus
}

/** Whether the audit hash chain recomputes from its first link to its head (`GET /api/admin/audit`, `npm run audit:verify`). */
export interface AuditChainStatus {
  ok: boolean
  /** Links verified before the first break (all of them when ok). */
  entries: number
  /** The last link's hash when ok: worth keeping outside the database to compare with later. */
  headHash: string | null
  brokenAt: { seq: number; entryId: number | null; reason: string } | null
}
