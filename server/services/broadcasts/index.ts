import { randomBytes } from 'node:crypto'
import { and, desc, eq, lt, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { broadcastRecipients, broadcasts } from '../../db/schema/broadcasts'
import type { BroadcastInput } from '#shared/schemas/broadcasts'
import { DomainError } from '../../utils/errors'
import { updateAccountProfile } from '../account/profile'
import { write, type ServiceContext } from '../context'
import { broadcastPreviewJob, broadcastSendJob } from './jobs'
import { contentHash, readClickToken } from './messages'
import { toBroadcastDto, type BroadcastStats } from './dto'

export { countAudience } from './audience'

type Row = typeof broadcasts.$inferSelect

function staffIdOf(ctx: ServiceContext) {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden', 'Only staff write broadcasts')
  return ctx.actor.userId
}

async function lockBroadcast(db: DbOrTx, id: number): Promise<Row> {
  const [row] = await db.select().from(broadcasts).where(eq(broadcasts.id, id)).for('update')
  if (!row) throw new DomainError('not_found', 'No such broadcast')
  return row
}

/** Delivery figures per broadcast: sent, failed (refused or unknown after a crash), blocked, waiting, people who pressed the button. */
export async function broadcastStats(db: DbOrTx, ids: readonly number[]): Promise<Map<number, BroadcastStats>> {
  const stats = new Map<number, BroadcastStats>()
  if (!ids.length) return stats
  const rows = await db
    .select({
      id: broadcastRecipients.broadcastId,
      sent: sql<number>`count(*) filter (where ${broadcastRecipients.state} = 'sent')::int`,
      failed: sql<number>`count(*) filter (where ${broadcastRecipients.state} in ('failed', 'unknown'))::int`,
      blocked: sql<number>`count(*) filter (where ${broadcastRecipients.state} = 'blocked')::int`,
      pending: sql<number>`count(*) filter (where ${broadcastRecipients.state} in ('pending', 'sending'))::int`,
      clickedBy: sql<number>`count(${broadcastRecipients.clickedAt})::int`,
    })
    .from(broadcastRecipients)
    .where(sql`${broadcastRecipients.broadcastId} in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`)
    .groupBy(broadcastRecipients.broadcastId)
  for (const r of rows) stats.set(r.id, { sent: Number(r.sent), failed: Number(r.failed), blocked: Number(r.blocked), pending: Number(r.pending), clickedBy: Number(r.clickedBy) })
  return stats
}

const EMPTY_STATS: BroadcastStats = { sent: 0, failed: 0, blocked: 0, pending: 0, clickedBy: 0 }

/** Newest first, 30 a page, with their figures. */
export async function listBroadcasts(db: DbOrTx, before?: number) {
  const rows = await db
    .select()
    .from(broadcasts)
    .where(before ? lt(broadcasts.id, before) : undefined)
    .orderBy(desc(broadcasts.id))
    .limit(30)
  const stats = await broadcastStats(db, rows.map((r) => r.id))
  return { items: rows.map((r) => toBroadcastDto(r, stats.get(r.id) ?? EMPTY_STATS)), nextBefore: rows.length === 30 ? rows.at(-1)!.id : null }
}

export async function getBroadcast(db: DbOrTx, id: number) {
  const [row] = await db.select().from(broadcasts).where(eq(broadcasts.id, id))
  if (!row) throw new DomainError('not_found', 'No such broadcast')
  const stats = await broadcastStats(db, [id])
  return toBroadcastDto(row, stats.get(id) ?? EMPTY_STATS)
}

/** An operator writes a broadcast (a draft: nothing is sent until it is previewed and scheduled); audited. */
export async function createBroadcast(ctx: ServiceContext, input: BroadcastInput) {
  const authorId = staffIdOf(ctx)
  const id = await write(ctx, async (w) => {
    const [row] = await w.db
      .insert(broadcasts)
      .values({ title: input.title, text: input.text, photoUrl: input.photoUrl, button: input.button, segment: input.segment, createdBy: authorId, clickSecret: randomBytes(24).toString('base64url') })
      .returning()
    await w.audit({ action: 'broadcast.create', entityType: 'broadcast', entityId: row!.id, after: { title: row!.title, segment: row!.segment } })
    return row!.id
  })
  return getBroadcast(ctx.db, id)
}

/** Edits a draft (any change needs a new preview before it may be sent); audited. */
export async function updateBroadcast(ctx: ServiceContext, id: number, input: BroadcastInput) {
  staffIdOf(ctx)
  await write(ctx, async (w) => {
    const before = await lockBroadcast(w.db, id)
    if (before.status !== 'draft') throw new DomainError('broadcast_not_editable', 'Only a draft can be edited; this broadcast is already scheduled, sent or cancelled')
    await w.db.update(broadcasts).set({ title: input.title, text: input.text, photoUrl: input.photoUrl, button: input.button, segment: input.segment }).where(eq(broadcasts.id, id))
    await w.audit({ action: 'broadcast.update', entityType: 'broadcast', entityId: id, before: { title: before.title, segment: before.segment }, after: { title: input.title, segment: input.segment } })
  })
  return getBroadcast(ctx.db, id)
}

/** Queues the preview to the author's own chat (each language the broadcast is written in); audited. */
export async function requestPreview(ctx: ServiceContext, id: number) {
  const authorId = staffIdOf(ctx)
  await write(ctx, async (w) => {
    const row = await lockBroadcast(w.db, id)
    if (row.status !== 'draft') throw new DomainError('broadcast_not_editable', 'The broadcast is already scheduled, sent or cancelled')
    await w.enqueue(broadcastPreviewJob, { broadcastId: id, chatId: authorId })
    await w.audit({ action: 'broadcast.preview', entityType: 'broadcast', entityId: id })
  })
  return getBroadcast(ctx.db, id)
}

/**
 * Sends now (`at` null or past) or at `at`. Refused until the author has received a preview of
 * exactly this content. The audience is fixed when sending starts. Audited.
 */
export async function scheduleBroadcast(ctx: ServiceContext, id: number, at: Date | null) {
  staffIdOf(ctx)
  await write(ctx, async (w) => {
    const row = await lockBroadcast(w.db, id)
    if (row.status !== 'draft') throw new DomainError('broadcast_not_editable', 'The broadcast is already scheduled, sent or cancelled')
    if (!row.previewSentAt || row.previewHash !== contentHash({ text: row.text, photoUrl: row.photoUrl, button: row.button ?? null })) {
      throw new DomainError('broadcast_preview_required', 'Send yourself a preview of this version first')
    }
    const when = at && at.getTime() > Date.now() ? at : new Date()
    const jobId = await w.enqueue(broadcastSendJob, { broadcastId: id }, { startAfter: when })
    await w.db.update(broadcasts).set({ status: 'scheduled', scheduledAt: when, startJobId: jobId }).where(eq(broadcasts.id, id))
    await w.audit({ action: 'broadcast.schedule', entityType: 'broadcast', entityId: id, after: { scheduledAt: when.toISOString() } })
  })
  return getBroadcast(ctx.db, id)
}

/** Cancels a draft or a scheduled broadcast, or stops one being sent (who got it keeps it); audited. */
export async function cancelBroadcast(ctx: ServiceContext, id: number) {
  staffIdOf(ctx)
  await write(ctx, async (w) => {
    const row = await lockBroadcast(w.db, id)
    if (row.status === 'sent' || row.status === 'cancelled') throw new DomainError('broadcast_not_editable', 'The broadcast is already finished')
    if (row.status === 'scheduled' && row.startJobId) await w.cancelJobs(broadcastSendJob, [row.startJobId])
    await w.db.update(broadcasts).set({ status: 'cancelled', cancelledAt: new Date() }).where(eq(broadcasts.id, id))
    await w.audit({ action: 'broadcast.cancel', entityType: 'broadcast', entityId: id, before: { status: row.status } })
  })
  return getBroadcast(ctx.db, id)
}

/**
 * A recipient pressed the button (our tracked link): counted (every press, and the first press per
 * person), answered with where the button leads. Undefined for a forged or unknown link.
 */
export async function recordClick(db: DbOrTx, token: string) {
  const found = await readClickToken(token, async (broadcastId) => (await db.select({ secret: broadcasts.clickSecret }).from(broadcasts).where(eq(broadcasts.id, broadcastId)))[0]?.secret)
  if (!found) return undefined
  const [row] = await db.select({ button: broadcasts.button }).from(broadcasts).where(eq(broadcasts.id, found.broadcastId))
  if (!row?.button) return undefined
  const hit = await db
    .update(broadcastRecipients)
    .set({ clickedAt: sql`coalesce(${broadcastRecipients.clickedAt}, now())` })
    .where(and(eq(broadcastRecipients.broadcastId, found.broadcastId), eq(broadcastRecipients.userId, found.userId)))
    .returning({ userId: broadcastRecipients.userId })
  if (hit.length) await db.update(broadcasts).set({ clicks: sql`${broadcasts.clicks} + 1` }).where(eq(broadcasts.id, found.broadcastId))
  return row.button
}

/** The customer opts out of news (/stop, or "Unsubscribe" under a broadcast): no later broadcast reaches them. */
export async function unsubscribeFromNews(ctx: ServiceContext) {
  await updateAccountProfile(ctx, { notifications: { news: false } })
}
