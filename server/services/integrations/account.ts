import { sql } from 'drizzle-orm'
import { integrationEvents } from '../../db/schema/integrations'
import type { AccountSection } from '../account/registry'

/**
 * Outbound events name the customer (`payload.customer`: Telegram id, name, phone): on deletion the
 * events keep their money facts for the partners' records, with the placeholder instead of the person.
 */
export const integrationsAccountSection: AccountSection = {
  key: 'integrations',
  async erase(w, userId, placeholderId) {
    const changed = await w.db
      .update(integrationEvents)
      .set({ payload: sql`jsonb_set(${integrationEvents.payload}, '{customer}', jsonb_build_object('telegramId', ${placeholderId}::bigint, 'name', '—', 'phone', '—')) - 'address'` })
      .where(sql`${integrationEvents.payload}->'customer'->>'telegramId' = ${String(userId)}`)
      .returning({ id: integrationEvents.id })
    return { integrationEventsAnonymised: changed.length }
  },
}
