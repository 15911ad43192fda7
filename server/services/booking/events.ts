/** The integration events bookings emit (docs/integrations.md): a snapshot of the booking after the change. */
import { eq } from 'drizzle-orm'
import type { BookingEventPayload, IntegrationEventType } from '#shared/schemas/integrations'
import type { DbOrTx } from '../../db/client'
import { bookingResources, bookingServices, bookings } from '../../db/schema/booking'
import type { IntegrationEventInput } from '../integrations/outbox'
import { displayNames } from '../auth/names'

export async function bookingEvent(db: DbOrTx, type: Extract<IntegrationEventType, `booking.${string}`>, bookingId: number): Promise<IntegrationEventInput> {
  const [row] = await db
    .select({ booking: bookings, service: bookingServices, resource: bookingResources })
    .from(bookings)
    .innerJoin(bookingServices, eq(bookingServices.id, bookings.serviceId))
    .innerJoin(bookingResources, eq(bookingResources.id, bookings.resourceId))
    .where(eq(bookings.id, bookingId))
  const b = row!.booking
  const names = await displayNames(db, [b.userId])
  const payload: BookingEventPayload = {
    bookingId: b.id,
    status: b.status,
    startsAt: b.startsAt.toISOString(),
    endsAt: b.endsAt.toISOString(),
    timezone: b.timezone,
    priceMinor: b.priceMinor,
    currency: b.currency,
    service: { id: row!.service.id, slug: row!.service.slug, name: row!.service.name.ru },
    resource: { id: row!.resource.id, name: row!.resource.name.ru },
    customer: { telegramId: b.userId, name: names.get(b.userId) ?? '' },
  }
  return { type, aggregateType: 'booking', aggregateId: b.id, payload }
}
