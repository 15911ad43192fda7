import { sql } from 'drizzle-orm'
import { idempotencyKeys } from '../../db/schema/idempotency'
import type { AccountSection } from '../account/registry'

/** Stored requests of a customer (`<route>:user:<id>` scopes) repeat what they typed: dropped on deletion. */
export const idempotencyAccountSection: AccountSection = {
  key: 'idempotency',
  async erase(w, userId) {
    const gone = await w.db
      .delete(idempotencyKeys)
      .where(sql`${idempotencyKeys.scope} ~ ${`:user:${userId}$`}`)
      .returning({ key: idempotencyKeys.key })
    return { storedRequestsDeleted: gone.length }
  },
}
