/** Bookings as the partner REST API lists them (server/services/partner-api): by start time and status, newest first. */
import { and, desc, eq, gte, inArray, lt } from 'drizzle-orm'
import type { z } from 'zod'
import type { V1BookingsQuerySchema } from '#shared/schemas/partner-api'
import type { DbOrTx } from '../../db/client'
import { bookingResources, bookingServices, bookings } from '../../db/schema/booking'

export async function listBookingsForPartner(db: DbOrTx, query: z.output<typeof V1BookingsQuerySchema>) {
  const filters = []
  if (query.from) filters.push(gte(bookings.startsAt, query.from))
  if (query.to) filters.push(lt(bookings.startsAt, query.to))
  if (query.status?.length) filters.push(inArray(bookings.status, query.status))
  if (query.before) filters.push(lt(bookings.id, query.before))
  const rows = await db
    .select({ booking: bookings, service: { id: bookingServices.id, slug: bookingServices.slug, name: bookingServices.name }, resource: { id: bookingResources.id, slug: bookingResources.slug, name: bookingResources.name } })
    .from(bookings)
    .innerJoin(bookingServices, eq(bookingServices.id, bookings.serviceId))
    .innerJoin(bookingResources, eq(bookingResources.id, bookings.resourceId))
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(bookings.id))
    .limit(query.limit + 1)
  const items = rows.slice(0, query.limit).map(({ booking: b, service, resource }) => ({
    id: b.id,
    status: b.status,
    startsAt: b.startsAt,
    endsAt: b.endsAt,
    timezone: b.timezone,
    priceMinor: b.priceMinor,
    currency: b.currency,
    customerTelegramId: b.userId,
    customerConfirmedAt: b.customerConfirmedAt,
    service,
    resource,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  }))
  return { items, nextBefore: rows.length > query.limit ? items[query.limit - 1]!.id : null }
}
