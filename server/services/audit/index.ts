import { and, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { auditEntries } from '../../db/schema/audit'
import type { AuditItem, AuditPage, AuditQuery } from '#shared/schemas/audit'
import { toCsv } from '../../utils/csv'

export type ActorVia = 'tma' | 'session' | 'bot' | 'system' | 'anonymous'

/** Who acted and from where; handlers build it once per request (see `auditContext`). */
export interface AuditContext {
  actorId: number | null
  actorVia: ActorVia
  requestId?: string | null
  ip?: string | null
}

export interface AuditEntry extends AuditContext {
  /** Dotted verb, e.g. `role.grant`, `auth.sign_in`, `order.status`. */
  action: string
  entityType: string
  entityId?: string | number | null
  before?: unknown
  after?: unknown
}

/**
 * Appends one audit row. Pass the transaction that makes the change, so the row exists if and
 * only if the change does. The table refuses UPDATE/DELETE/TRUNCATE at the database level.
 */
export async function recordAudit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEntries).values({
    actorId: entry.actorId,
    actorVia: entry.actorVia,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: entry.requestId ?? null,
    ip: entry.ip ?? null,
  })
}

function filters(query: Omit<AuditQuery, 'limit' | 'cursor'> & { cursor?: string }): SQL | undefined {
  const where: SQL[] = []
  if (query.actor !== undefined) where.push(eq(auditEntries.actorId, query.actor))
  if (query.entityType) where.push(eq(auditEntries.entityType, query.entityType))
  if (query.entityId) where.push(eq(auditEntries.entityId, query.entityId))
  if (query.action) where.push(eq(auditEntries.action, query.action))
  if (query.from) where.push(gte(auditEntries.createdAt, query.from))
  if (query.to) where.push(lte(auditEntries.createdAt, query.to))
  if (query.cursor) where.push(lt(auditEntries.id, Number(query.cursor)))
  return where.length ? and(...where) : undefined
}

type AuditRow = typeof auditEntries.$inferSelect
const toItem = (row: AuditRow): AuditItem => ({
  id: row.id,
  actorId: row.actorId,
  actorVia: row.actorVia,
  action: row.action,
  entityType: row.entityType,
  entityId: row.entityId,
  before: row.before ?? null,
  after: row.after ?? null,
  requestId: row.requestId,
  ip: row.ip,
  createdAt: row.createdAt.toISOString(),
})

/** Newest first; `nextCursor` continues after the last item (ids only grow, so pages never shift). */
export async function listAudit(db: DbOrTx, query: AuditQuery): Promise<AuditPage> {
  const rows = await db.select().from(auditEntries).where(filters(query)).orderBy(desc(auditEntries.id)).limit(query.limit + 1)
  const page = rows.slice(0, query.limit)
  return { items: page.map(toItem), nextCursor: rows.length > query.limit ? String(page.at(-1)!.id) : null }
}

/** Most rows one CSV export holds; narrow the filters for more. */
export const AUDIT_EXPORT_MAX_ROWS = 50_000
const CSV_COLUMNS = ['id', 'createdAt', 'actorId', 'actorVia', 'action', 'entityType', 'entityId', 'before', 'after', 'requestId', 'ip'] as const

/** The filtered log as CSV (newest first, at most AUDIT_EXPORT_MAX_ROWS rows), fetched in pages. */
export async function exportAuditCsv(db: DbOrTx, query: Omit<AuditQuery, 'limit'>): Promise<string> {
  const rows: unknown[][] = [[...CSV_COLUMNS]]
  let cursor = query.cursor
  while (rows.length <= AUDIT_EXPORT_MAX_ROWS) {
    const page = await listAudit(db, { ...query, cursor, limit: 200 })
    for (const item of page.items) rows.push(CSV_COLUMNS.map((column) => item[column]))
    if (!page.nextCursor) break
    cursor = page.nextCursor
  }
  return toCsv(rows)
}
