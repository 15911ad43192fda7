import { eq, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { integrationDeliveries, integrationEvents } from '../../db/schema/integrations'
import type { AccountSection } from '../account/registry'
import type { WriteContext } from '../context'
import { emitIntegrationEvent, type IntegrationEventInput } from './outbox'

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
    const id = String(userId)
    // The events of the other modules that name the person: the customer's own (customer.*), their
    // conversations and their form answers. Partners already sent keep what they got; the outbox forgets.
    const customer = await w.db
      .update(integrationEvents)
      .set({ aggregateId: String(placeholderId), payload: sql`${integrationEvents.payload} || jsonb_build_object('telegramId', ${placeholderId}::bigint, 'name', '—', 'email', null, 'phone', null)` })
      .where(sql`${integrationEvents.aggregateType} = 'customer' and ${integrationEvents.aggregateId} = ${id}`)
      .returning({ id: integrationEvents.id })
    const conversations = await w.db
      .update(integrationEvents)
      .set({ payload: sql`jsonb_set(${integrationEvents.payload}, '{customerTelegramId}', to_jsonb(${placeholderId}::bigint))` })
      .where(sql`${integrationEvents.payload}->>'customerTelegramId' = ${id}`)
      .returning({ id: integrationEvents.id })
    const forms = await w.db
      .update(integrationEvents)
      .set({ payload: sql`jsonb_set(jsonb_set(${integrationEvents.payload}, '{submittedBy,telegramId}', to_jsonb(${placeholderId}::bigint)), '{values}', '{}'::jsonb)` })
      .where(sql`${integrationEvents.payload}->'submittedBy'->>'telegramId' = ${id}`)
      .returning({ id: integrationEvents.id })
    return { integrationEventsAnonymised: changed.length + customer.length + conversations.length + forms.length }
  },
}

/**
 * The erasure notice (`customer.deleted`) is the one record that still names the person after the
 * deletion: partners need the Telegram id and e-mail to find and remove their copy. It is emitted
 * after the sections above ran; then every delivery about the person moves to the placeholder's key
 * (their order is kept), and the notice forgets the person as soon as nothing is left to send it to.
 */
export async function sendErasureNotice(w: WriteContext, notice: IntegrationEventInput, userId: number, placeholderId: number) {
  const { eventId } = await emitIntegrationEvent(w, notice)
  await w.db
    .update(integrationDeliveries)
    .set({ aggregateKey: `customer:${placeholderId}` })
    .where(eq(integrationDeliveries.aggregateKey, `customer:${userId}`))
  await forgetErasureNoticeOnceSent(w.db, eventId, placeholderId)
}

/** Called after a delivery of an event ends (sent, or given up): a sent erasure notice keeps only the placeholder. */
export async function forgetErasureNoticeOnceSent(db: DbOrTx, eventId: string, placeholderId?: number) {
  const [event] = await db.select({ type: integrationEvents.type }).from(integrationEvents).where(eq(integrationEvents.id, eventId))
  if (event?.type !== 'customer.deleted') return
  const deliveries = await db.select({ status: integrationDeliveries.status, aggregateKey: integrationDeliveries.aggregateKey }).from(integrationDeliveries).where(eq(integrationDeliveries.eventId, eventId))
  if (deliveries.some((d) => d.status === 'pending' || d.status === 'held')) return
  // The deliveries' key names the placeholder (see sendErasureNotice).
  const placeholder = placeholderId ?? Number(deliveries[0]?.aggregateKey.split(':')[1] ?? 0)
  await db
    .update(integrationEvents)
    .set({ aggregateId: String(placeholder), payload: sql`${integrationEvents.payload} || jsonb_build_object('telegramId', ${placeholder}::bigint, 'name', '—', 'email', null, 'phone', null)` })
    .where(eq(integrationEvents.id, eventId))
}
