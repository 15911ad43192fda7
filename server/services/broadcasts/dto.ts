import type { broadcasts } from '../../db/schema/broadcasts'
import { contentHash } from './messages'

export interface BroadcastStats {
  sent: number
  failed: number
  blocked: number
  /** Waiting or being sent now. */
  pending: number
  /** People who pressed the button at least once. */
  clickedBy: number
}

/** A broadcast as /admin sees it: content, state, whether this version was previewed, and the figures. */
export function toBroadcastDto(row: typeof broadcasts.$inferSelect, stats: BroadcastStats) {
  const previewCurrent = row.previewSentAt !== null && row.previewHash === contentHash({ text: row.text, photoUrl: row.photoUrl, button: row.button ?? null })
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    text: row.text,
    photoUrl: row.photoUrl,
    button: row.button ?? null,
    segment: row.segment,
    createdBy: row.createdBy,
    previewSentAt: row.previewSentAt?.toISOString() ?? null,
    /** The author received a preview of exactly this content: it may be sent. */
    previewCurrent,
    scheduledAt: row.scheduledAt?.toISOString() ?? null,
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
    /** Telegram asked to wait (429) until then. */
    pausedUntil: row.pausedUntil && row.pausedUntil.getTime() > Date.now() ? row.pausedUntil.toISOString() : null,
    total: row.total,
    clicks: row.clicks,
    stats,
    createdAt: row.createdAt.toISOString(),
  }
}
export type BroadcastDto = ReturnType<typeof toBroadcastDto>
