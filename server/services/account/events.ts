/**
 * The integration events the account module emits (docs/integrations.md): `customer.created` when a
 * customer's profile (contact details, preferences) is first saved, `customer.updated` when it
 * changes, `customer.deleted` when the account is erased (partners then forget the person).
 */
import type { z } from 'zod'
import type { CustomerEventPayloadSchema } from '#shared/schemas/integrations'
import type { DbOrTx } from '../../db/client'
import { eq } from 'drizzle-orm'
import { customerProfiles } from '../../db/schema/account'
import type { IntegrationEventInput } from '../integrations/outbox'
import { findUser } from '../auth/users'

type CustomerEventType = 'customer.created' | 'customer.updated' | 'customer.deleted'

/** A snapshot of the customer now (for `customer.deleted`: taken before the erasure; the contact is kept so a mailing list can remove it, consent is false). */
export async function customerEvent(db: DbOrTx, type: CustomerEventType, userId: number): Promise<IntegrationEventInput> {
  const [found, [profile]] = await Promise.all([findUser(db, userId), db.select().from(customerProfiles).where(eq(customerProfiles.userId, userId))])
  const payload: z.input<typeof CustomerEventPayloadSchema> = {
    telegramId: userId,
    name: [found?.user.firstName, found?.user.lastName].filter(Boolean).join(' '),
    email: profile?.email ?? null,
    phone: profile?.phone ?? null,
    locale: found?.user.locale,
    // News is opt-in (profile.ts DEFAULT_NOTIFICATIONS): consent only when the customer turned it on.
    newsConsent: type !== 'customer.deleted' && profile?.notifications.news === true,
  }
  return { type, aggregateType: 'customer', aggregateId: userId, payload }
}
