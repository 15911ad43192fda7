import { and, ne, sql } from 'drizzle-orm'
import { telegramUpdates } from '../../db/schema/telegram'
import type { AccountSection } from '../account/registry'

/**
 * Stored Telegram updates carry the sender's name, username and messages: a deleted customer's
 * handled updates are dropped (dedupe by `update_id` only matters for a day).
 */
export const telegramAccountSection: AccountSection = {
  key: 'telegram',
  async erase(w, userId) {
    const pattern = `"(id|user_id)": ${userId}[,}]`
    const gone = await w.db
      .delete(telegramUpdates)
      .where(and(ne(telegramUpdates.status, 'processing'), sql`${telegramUpdates.payload}::text ~ ${pattern}`))
      .returning({ id: telegramUpdates.updateId })
    return { telegramUpdatesDeleted: gone.length }
  },
}
