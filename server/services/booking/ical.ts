import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { and, asc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { bookingHistory, bookingResources, bookingServices, bookings, type BookingStatus } from '../../db/schema/booking'
import { bookingCalendarFeeds } from '../../db/schema/booking-feeds'
import type { LocalizedText } from '../../db/schema/_columns'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext } from '../context'
import { ensureSetting } from '../settings'
import { getBusinessProfile } from '../settings/business'
import { getBooking, type BookingDetail } from './index'
import { userFirstNames } from '../auth/users'
import { customerPhones } from '../account/profile'

/**
 * iCalendar (RFC 5545) for bookings: the customer's "add to calendar" file and the private feed
 * of one specialist's or room's bookings. Every time is written in UTC (`...Z`), so a calendar in
 * any zone shows the right local time with no VTIMEZONE to get wrong; the schedule's zone is
 * named in X-WR-TIMEZONE for calendars that display it.
 */

type Lang = 'ru' | 'en'
const CRLF = '\r\n'

/** TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines. */
export const icsText = (value: string) => value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n')

/** A DATE-TIME in UTC: 20261201T100000Z. */
export const icsDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')

/** Content lines longer than 75 octets folded (RFC 5545 3.1), never splitting a UTF-8 character. */
export function foldLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8')
  if (bytes.length <= 75) return line
  const parts: string[] = []
  let current = ''
  let size = 0
  let limit = 75
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8')
    if (size + n > limit) {
      parts.push(current)
      current = ''
      size = 0
      limit = 74 // continuation lines start with a space
    }
    current += ch
    size += n
  }
  parts.push(current)
  return parts.join(`${CRLF} `)
}

export interface IcsEvent {
  uid: string
  /** Bumped on every change that calendars must apply (a move, a cancellation). */
  sequence: number
  /** When the event last changed (DTSTAMP/LAST-MODIFIED): stable output for unchanged bookings. */
  stamp: Date
  start: Date
  end: Date
  summary: string
  location?: string
  description?: string
  status: 'TENTATIVE' | 'CONFIRMED' | 'CANCELLED'
  url?: string
}

export function icsCalendar(options: { name: string; timezone?: string; method?: 'PUBLISH' }, events: IcsEvent[]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//tma-platform//booking//EN', 'CALSCALE:GREGORIAN']
  if (options.method) lines.push(`METHOD:${options.method}`)
  lines.push(`X-WR-CALNAME:${icsText(options.name)}`)
  if (options.timezone) lines.push(`X-WR-TIMEZONE:${options.timezone}`)
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `SEQUENCE:${e.sequence}`,
      `DTSTAMP:${icsDate(e.stamp)}`,
      `LAST-MODIFIED:${icsDate(e.stamp)}`,
      `DTSTART:${icsDate(e.start)}`,
      `DTEND:${icsDate(e.end)}`,
      `SUMMARY:${icsText(e.summary)}`,
    )
    if (e.location) lines.push(`LOCATION:${icsText(e.location)}`)
    if (e.description) lines.push(`DESCRIPTION:${icsText(e.description)}`)
    if (e.url) lines.push(`URL:${e.url}`)
    lines.push(`STATUS:${e.status}`, 'TRANSP:OPAQUE', 'END:VEVENT')
  }
  lines.push('END:VCALENDAR')
  return lines.map(foldLine).join(CRLF) + CRLF
}

/** Booking statuses as a calendar reads them: a hold is tentative, freed time is cancelled. */
export function icsStatus(status: BookingStatus): IcsEvent['status'] {
  if (status === 'held') return 'TENTATIVE'
  if (status === 'cancelled' || status === 'expired') return 'CANCELLED'
  return 'CONFIRMED'
}

/** History actions after which a calendar must replace its copy of the event. */
export const SEQUENCE_ACTIONS = ['rescheduled', 'cancelled', 'cancelled_by_staff'] as const

/** The UID of a booking's event: the same for the booking's whole life, unique across sites. */
export const bookingUid = (bookingId: number, publicUrl: string) => `booking-${bookingId}@${hostOf(publicUrl)}`
const hostOf = (url: string) => {
  try {
    return new URL(url).host || 'localhost'
  } catch {
    return 'localhost'
  }
}

const pick = (text: LocalizedText | null | undefined, lang: Lang) => (text ? text[lang] || text.ru : '')

/** The customer's booking as a one-event calendar file, in their language. */
export async function customerBookingIcs(db: DbOrTx, booking: BookingDetail, lang: Lang, publicUrl: string) {
  const business = await getBusinessProfile(db)
  const sequence = booking.history.filter((h) => (SEQUENCE_ACTIONS as readonly string[]).includes(h.action)).length
  const stamp = booking.history.reduce((max, h) => (h.createdAt > max ? h.createdAt : max), booking.updatedAt)
  const resource = pick(booking.resource.name, lang)
  const event: IcsEvent = {
    uid: bookingUid(booking.id, publicUrl),
    sequence,
    stamp,
    start: booking.startsAt,
    end: booking.endsAt,
    summary: [pick(booking.service.name, lang), pick(business.name, lang)].filter(Boolean).join(' — '),
    location: pick(business.address, lang),
    description: [lang === 'en' ? `With: ${resource}` : `Проводит: ${resource}`, business.phone ? (lang === 'en' ? `Phone: ${business.phone}` : `Телефон: ${business.phone}`) : ''].filter(Boolean).join('\n'),
    status: icsStatus(booking.status),
  }
  return { body: icsCalendar({ name: pick(business.name, lang), timezone: booking.timezone, method: 'PUBLISH' }, [event]), fileName: `booking-${booking.id}.ics` }
}

// ---------------------------------------------------------------------------------------------
// Signed download links: Telegram's downloadFile fetches the URL itself, without our headers.

export const ICS_LINK_TTL_SECONDS = 5 * 60
const LINK_SECRET_SETTING = 'booking.ics_link_secret'
let linkSecret: Promise<string> | undefined
function icsLinkSecret(db: DbOrTx) {
  linkSecret ??= ensureSetting(db, LINK_SECRET_SETTING, () => randomBytes(32).toString('hex')).catch((error) => {
    linkSecret = undefined
    throw error
  })
  return linkSecret
}
/** Tests open several databases in one process: forget the cached key. */
export const forgetIcsLinkSecret = () => void (linkSecret = undefined)
const signLink = (secret: string, payload: string) => createHmac('sha256', secret).update(`booking-ics:${payload}`).digest('base64url')

/** A 5-minute link to the customer's booking as .ics (the booking, its owner, the language, the expiry, signed). */
export async function createIcsLink(ctx: ServiceContext, bookingId: number, lang: Lang, now = new Date()) {
  if (ctx.actor.kind !== 'customer') throw new DomainError('forbidden', 'Only a customer downloads their booking')
  const booking = await getBooking(ctx.db, bookingId, ctx.actor.userId)
  const expires = Math.floor(now.getTime() / 1000) + ICS_LINK_TTL_SECONDS
  const payload = Buffer.from(`${booking.id}.${booking.userId}.${lang}.${expires}`).toString('base64url')
  const token = `${payload}.${signLink(await icsLinkSecret(ctx.db), payload)}`
  const path = `/api/booking/calendar/${token}`
  return { url: `${ctx.config.publicUrl.replace(/\/$/, '')}${path}`, path, expiresAt: new Date(expires * 1000).toISOString(), fileName: `booking-${booking.id}.ics` }
}

/** The booking and language a link points to, if genuine and not expired; `requesterId` (a signed-in caller) must be the owner. */
export async function resolveIcsLink(db: DbOrTx, token: string, requesterId: number | null, now = new Date()) {
  const [payload = '', signature = ''] = token.split('.')
  const expected = Buffer.from(signLink(await icsLinkSecret(db), payload))
  const given = Buffer.from(signature)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new DomainError('calendar_link_invalid', 'This link is not valid', 403)
  const [id, userId, lang, expires] = Buffer.from(payload, 'base64url').toString('utf8').split('.')
  if (!Number(id) || !Number(userId) || (lang !== 'ru' && lang !== 'en') || !Number(expires)) throw new DomainError('calendar_link_invalid', 'This link is not valid', 403)
  if (Number(expires) * 1000 < now.getTime()) throw new DomainError('calendar_link_expired', 'This link has expired; tap "Add to calendar" again', 410)
  if (requesterId !== null && requesterId !== Number(userId)) throw new DomainError('forbidden', 'This link belongs to another user')
  return { booking: await getBooking(db, Number(id), Number(userId)), lang: lang as Lang }
}

// ---------------------------------------------------------------------------------------------
// Staff feeds: a secret URL per resource, stored hashed.

/** How far back and ahead a feed reaches. */
export const FEED_PAST_DAYS = 30
export const FEED_AHEAD_DAYS = 120
const DAY = 24 * 3600_000

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

export type FeedRow = typeof bookingCalendarFeeds.$inferSelect

/** The feeds (live and revoked) for /admin: never the token, which only its creator saw once. */
export async function listCalendarFeeds(db: DbOrTx) {
  const rows = await db
    .select({ feed: bookingCalendarFeeds, resource: { id: bookingResources.id, name: bookingResources.name, slug: bookingResources.slug } })
    .from(bookingCalendarFeeds)
    .innerJoin(bookingResources, eq(bookingResources.id, bookingCalendarFeeds.resourceId))
    .orderBy(asc(bookingCalendarFeeds.resourceId), asc(bookingCalendarFeeds.id))
  return rows.map((r) => ({ id: r.feed.id, resource: r.resource, includePhone: r.feed.includePhone, lang: r.feed.lang, createdAt: r.feed.createdAt, createdBy: r.feed.createdBy, revokedAt: r.feed.revokedAt, lastUsedAt: r.feed.lastUsedAt }))
}

const feedUrl = (publicUrl: string, token: string) => `${publicUrl.replace(/\/$/, '')}/api/booking/feeds/${token}.ics`

/**
 * A new secret feed URL for a resource; any live feed of it is revoked in the same transaction
 * (so "create" on a resource that has one is a rotation). The token is shown once. Audited.
 */
export async function createCalendarFeed(ctx: ServiceContext, input: { resourceId: number; includePhone: boolean; lang: Lang }) {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden', 'Only staff manage calendar feeds')
  const token = randomBytes(32).toString('base64url')
  return write(ctx, async (w) => {
    const [resource] = await w.db.select({ id: bookingResources.id }).from(bookingResources).where(eq(bookingResources.id, input.resourceId))
    if (!resource) throw new DomainError('not_found', 'No such resource')
    const revoked = await w.db
      .update(bookingCalendarFeeds)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(bookingCalendarFeeds.resourceId, input.resourceId), isNull(bookingCalendarFeeds.revokedAt)))
      .returning({ id: bookingCalendarFeeds.id })
    const [row] = await w.db.insert(bookingCalendarFeeds).values({ resourceId: input.resourceId, tokenHash: hashToken(token), includePhone: input.includePhone, lang: input.lang, createdBy: w.actor.userId ?? null }).returning()
    await w.audit({ action: revoked.length ? 'booking.feed.rotate' : 'booking.feed.create', entityType: 'booking_calendar_feed', entityId: row!.id, before: revoked.length ? { revokedFeedIds: revoked.map((r) => r.id) } : undefined, after: { resourceId: input.resourceId, includePhone: input.includePhone, lang: input.lang } })
    return { id: row!.id, resourceId: row!.resourceId, includePhone: row!.includePhone, lang: row!.lang, createdAt: row!.createdAt, url: feedUrl(ctx.config.publicUrl, token) }
  })
}

/** Revokes a feed: its URL answers 404 from now on. Audited; revoking twice changes nothing. */
export async function revokeCalendarFeed(ctx: ServiceContext, feedId: number) {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden', 'Only staff manage calendar feeds')
  return write(ctx, async (w) => {
    const [current] = await w.db.select().from(bookingCalendarFeeds).where(eq(bookingCalendarFeeds.id, feedId))
    if (!current) throw new DomainError('not_found', 'No such feed')
    if (current.revokedAt) return { id: current.id, revokedAt: current.revokedAt }
    const [row] = await w.db.update(bookingCalendarFeeds).set({ revokedAt: sql`now()` }).where(eq(bookingCalendarFeeds.id, feedId)).returning()
    await w.audit({ action: 'booking.feed.revoke', entityType: 'booking_calendar_feed', entityId: feedId, before: { resourceId: current.resourceId, revokedAt: null }, after: { revokedAt: row!.revokedAt } })
    return { id: row!.id, revokedAt: row!.revokedAt }
  })
}

/**
 * The live feed a token opens, or null. Unknown, malformed and revoked tokens take the same path
 * (one indexed lookup of the token's hash, which an attacker cannot steer), so timing tells
 * nothing about which feeds exist.
 */
export async function findLiveFeed(db: DbOrTx, token: string) {
  const hash = hashToken(TOKEN_SHAPE.test(token) ? token : `invalid:${token}`)
  const [row] = await db
    .select()
    .from(bookingCalendarFeeds)
    .where(and(eq(bookingCalendarFeeds.tokenHash, hash), isNull(bookingCalendarFeeds.revokedAt)))
  return row && TOKEN_SHAPE.test(token) ? row : null
}

/**
 * A resource's calendar: its confirmed, done and no-show bookings from FEED_PAST_DAYS back to
 * FEED_AHEAD_DAYS ahead, one event per session (a class with four customers is one event that
 * names them). The customer appears by first name; the phone only when the feed allows it.
 */
export async function resourceFeedIcs(db: DbOrTx, feed: FeedRow, publicUrl: string, now = new Date()) {
  const [resource] = await db.select().from(bookingResources).where(eq(bookingResources.id, feed.resourceId))
  if (!resource) return null
  const business = await getBusinessProfile(db)
  const rows = await db
    .select({
      id: bookings.id,
      status: bookings.status,
      startsAt: bookings.startsAt,
      endsAt: bookings.endsAt,
      seat: bookings.seat,
      updatedAt: bookings.updatedAt,
      customerConfirmedAt: bookings.customerConfirmedAt,
      serviceId: bookings.serviceId,
      serviceName: bookingServices.name,
      capacity: bookingServices.capacity,
      userId: bookings.userId,
      moves: sql<number>`(select count(*)::int from ${bookingHistory} where ${bookingHistory.bookingId} = ${bookings.id} and ${bookingHistory.action} in (${sql.join(SEQUENCE_ACTIONS.map((a) => sql`${a}`), sql`, `)}))`,
    })
    .from(bookings)
    .innerJoin(bookingServices, eq(bookingServices.id, bookings.serviceId))
    .where(
      and(
        eq(bookings.resourceId, feed.resourceId),
        inArray(bookings.status, ['confirmed', 'done', 'no_show']),
        gte(bookings.startsAt, new Date(now.getTime() - FEED_PAST_DAYS * DAY)),
        lt(bookings.startsAt, new Date(now.getTime() + FEED_AHEAD_DAYS * DAY)),
      ),
    )
    .orderBy(asc(bookings.startsAt), asc(bookings.seat))
    .limit(5000)
  const userIds = rows.map((r) => r.userId)
  const [names, phones] = await Promise.all([userFirstNames(db, userIds), feed.includePhone ? customerPhones(db, userIds) : new Map<number, string>()])
  const lang: Lang = feed.lang === 'en' ? 'en' : 'ru'
  const sessions = new Map<string, typeof rows>()
  for (const r of rows) {
    const key = r.capacity > 1 ? `s-${r.serviceId}-${r.startsAt.getTime()}` : `b-${r.id}`
    sessions.set(key, [...(sessions.get(key) ?? []), r])
  }
  const host = hostOf(publicUrl)
  const events: IcsEvent[] = [...sessions.entries()].map(([key, group]) => {
    const first = group[0]!
    const who = (r: (typeof rows)[number]) => [names.get(r.userId) || '—', phones.get(r.userId) ?? '', r.status === 'no_show' ? (lang === 'en' ? '(no-show)' : '(не пришёл)') : r.customerConfirmedAt ? '✓' : ''].filter(Boolean).join(' ')
    const service = pick(first.serviceName, lang)
    const summary = first.capacity > 1 ? `${service} (${group.length}/${first.capacity})` : `${service}: ${who(first)}`
    return {
      uid: key.startsWith('b-') ? `booking-${first.id}@${host}` : `session-${feed.resourceId}-${key.slice(2)}@${host}`,
      sequence: Math.max(...group.map((r) => r.moves)),
      stamp: group.reduce((max, r) => (r.updatedAt > max ? r.updatedAt : max), first.updatedAt),
      start: first.startsAt,
      end: first.endsAt,
      summary,
      location: pick(business.address, lang),
      description: group.map((r) => (first.capacity > 1 ? `${r.seat}. ${who(r)}` : who(r))).join('\n'),
      status: 'CONFIRMED' as const,
    }
  })
  const name = [pick(resource.name, lang), pick(business.name, lang)].filter(Boolean).join(' — ')
  return { body: icsCalendar({ name, timezone: resource.timezone }, events), resource }
}

/** Notes when a feed was last read (at most once a minute per feed, so polling costs no writes). */
export async function touchFeed(db: DbOrTx, feedId: number) {
  await db
    .update(bookingCalendarFeeds)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(bookingCalendarFeeds.id, feedId), sql`(${bookingCalendarFeeds.lastUsedAt} is null or ${bookingCalendarFeeds.lastUsedAt} < now() - interval '1 minute')`))
}
