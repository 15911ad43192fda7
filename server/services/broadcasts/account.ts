import { eq } from 'drizzle-orm'
import { broadcastRecipients, broadcasts } from '../../db/schema/broadcasts'
import type { AccountSection } from '../account/registry'

/**
 * Broadcasts' part of the personal account: which news messages the customer was sent (and
 * whether they pressed the button) in the export; on deletion their recipient rows go (the
 * broadcast's totals keep the count, not the person). Broadcasts they wrote as staff stay, unsigned.
 */
export const broadcastsAccountSection: AccountSection = {
  key: 'broadcasts',
  async exportData(db, userId) {
    const rows = await db
      .select({ r: broadcastRecipients, title: broadcasts.title })
      .from(broadcastRecipients)
      .innerJoin(broadcasts, eq(broadcasts.id, broadcastRecipients.broadcastId))
      .where(eq(broadcastRecipients.userId, userId))
      .orderBy(broadcastRecipients.broadcastId)
    return rows.map(({ r, title }) => ({ broadcastId: r.broadcastId, title, state: r.state, locale: r.locale, sentAt: r.sentAt?.toISOString() ?? null, clickedAt: r.clickedAt?.toISOString() ?? null }))
  },
  async erase(w, userId) {
    const gone = await w.db.delete(broadcastRecipients).where(eq(broadcastRecipients.userId, userId)).returning({ id: broadcastRecipients.broadcastId })
    await w.db.update(broadcasts).set({ createdBy: null }).where(eq(broadcasts.createdBy, userId))
    return { broadcastRecipientsDeleted: gone.length }
  },
}
