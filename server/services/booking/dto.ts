import { customerMayChange, prepaymentOf, refundOnCancel, type BookingDetail, type BookingResourceRow, type BookingServiceRow } from './index'
import type { listWaitlist } from './waitlist'

type Listed = Omit<BookingDetail, 'history'> & { history?: BookingDetail['history'] }

/** A service as the Mini App and the public pages show it, with who performs it. */
export function toBookingServiceDto(service: BookingServiceRow, resources?: readonly BookingResourceRow[]) {
  return {
    id: service.id,
    slug: service.slug,
    name: service.name,
    description: service.description,
    durationMinutes: service.durationMinutes,
    priceMinor: service.priceMinor,
    currency: service.currency,
    capacity: service.capacity,
    horizonDays: service.horizonDays,
    holdMinutes: service.holdMinutes,
    cancelDeadlineMinutes: service.cancelDeadlineMinutes,
    /** Paid when booking (Stars when the currency is XTR, else by card); 0 = nothing to pay ahead. */
    ...prepaymentOf(service),
    /** Cancelling at least this long before the start gets the prepayment back. */
    refundDeadlineMinutes: service.refundDeadlineMinutes,
    ...(resources ? { resources: resources.map((r) => ({ id: r.id, slug: r.slug, name: r.name })) } : {}),
  }
}

/** A booking as its customer sees it, with whether they may still change it themselves. */
export function toBookingDto(b: Listed, now = new Date()) {
  return {
    id: b.id,
    status: b.status,
    startsAt: b.startsAt,
    endsAt: b.endsAt,
    /** The zone of the schedule the time comes from; the app shows it in the device's zone too. */
    timezone: b.timezone,
    holdExpiresAt: b.holdExpiresAt,
    priceMinor: b.priceMinor,
    currency: b.currency,
    customerConfirmedAt: b.customerConfirmedAt,
    prepaymentMinor: b.prepaymentMinor,
    prepaymentCurrency: b.prepaymentCurrency,
    paidAt: b.paidAt,
    /** Cancelling now gives the prepayment back (the service's cancellation policy); the app says so before the customer confirms. */
    refundIfCancelledNow: refundOnCancel(b, b.service, false, now),
    service: { id: b.service.id, slug: b.service.slug, name: b.service.name, durationMinutes: b.service.durationMinutes, cancelDeadlineMinutes: b.service.cancelDeadlineMinutes, refundDeadlineMinutes: b.service.refundDeadlineMinutes },
    resource: { id: b.resource.id, name: b.resource.name },
    /** The customer may cancel or move it now (the deadline rule lives in the booking service). */
    canChange: customerMayChange(b, b.service, now),
    createdAt: b.createdAt,
  }
}

export function toBookingDetailDto(b: BookingDetail, now = new Date()) {
  return { ...toBookingDto(b, now), history: b.history.map((h) => ({ action: h.action, from: h.fromStatus, to: h.toStatus, actorKind: h.actorKind, details: h.details, at: h.createdAt })) }
}

/** A booking as staff see it in /admin: the customer and the seat. */
export function toAdminBookingDto(b: Listed, customerName: string | undefined) {
  return { ...toBookingDto(b), seat: b.seat, customerTelegramId: b.userId, customerName: customerName ?? null, ...(b.history ? { history: b.history.map((h) => ({ action: h.action, from: h.fromStatus, to: h.toStatus, actorKind: h.actorKind, at: h.createdAt })) } : {}) }
}

/** A waitlist entry as its customer sees it in My bookings. */
export function toWaitlistDto(e: Awaited<ReturnType<typeof listWaitlist>>[number]) {
  return {
    id: e.id,
    status: e.status,
    day: e.day,
    startsAt: e.startsAt,
    bookingId: e.bookingId,
    service: { id: e.service.id, slug: e.service.slug, name: e.service.name },
    resource: e.resource ? { id: e.resource.id, name: e.resource.name } : null,
    createdAt: e.createdAt,
  }
}
