import { eq, inArray, sql } from 'drizzle-orm'
import { preparedPer } from '../../db/prepared'
import type { DbOrTx } from '../../db/client'
import { customerProfiles } from '../../db/schema/account'
import { NOTIFICATION_KINDS, type NotificationKind, type NotificationPreferences, type ProfilePatch } from '#shared/schemas/account'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext } from '../context'
import { findUser, setUserLocale } from '../auth/users'
import { emitIntegrationEvent } from '../integrations/outbox'
import { customerEvent } from './events'

/** News is opt-in; messages about the customer's own orders and bookings are on until turned off. */
export const DEFAULT_NOTIFICATIONS: NotificationPreferences = { order_updates: true, booking_reminders: true, news: false }

type ProfileRow = typeof customerProfiles.$inferSelect

const preferences = (row?: Pick<ProfileRow, 'notifications'>): NotificationPreferences => ({ ...DEFAULT_NOTIFICATIONS, ...(row?.notifications ?? {}) })

/** The customer ids a context acts for; staff and the system use the admin services instead. */
export function customerIdOf(ctx: ServiceContext) {
  if (ctx.actor.kind !== 'customer') throw new DomainError('forbidden', 'Only the customer manages their own account')
  return ctx.actor.userId
}

async function profileRow(db: DbOrTx, userId: number) {
  const [row] = await db.select().from(customerProfiles).where(eq(customerProfiles.userId, userId))
  return row
}

/** The account as its owner (or an operator) sees it: Telegram's fields, roles, contact data and preferences. */
export async function getAccountProfile(db: DbOrTx, userId: number) {
  const [found, row] = await Promise.all([findUser(db, userId), profileRow(db, userId)])
  if (!found) throw new DomainError('not_found', 'No such customer')
  return {
    user: found.user,
    roles: found.roles,
    since: found.createdAt.toISOString(),
    lastSeenAt: found.lastSeenAt.toISOString(),
    blockedBot: found.blockedBot,
    phone: row?.phone ?? null,
    phoneVerified: row?.phoneVerified ?? false,
    email: row?.email ?? null,
    birthday: row?.birthday ?? null,
    notifications: preferences(row),
  }
}
export type AccountProfile = Awaited<ReturnType<typeof getAccountProfile>>

const notificationsOf = preparedPer((db) => db.select({ notifications: customerProfiles.notifications }).from(customerProfiles).where(eq(customerProfiles.userId, sql.placeholder('userId'))).prepare('notifications_of'))

/**
 * Whether the customer wants chat messages of this kind. Every sender asks before it writes
 * (order updates: the notifications worker; booking reminders, news: their modules).
 */
export async function notificationAllowed(db: DbOrTx, userId: number, kind: NotificationKind) {
  const [row] = await notificationsOf(db).execute({ userId })
  return preferences(row)[kind]
}

/**
 * The customer changes their contact data, language or notification preferences. A phone typed
 * here is unverified; one shared from Telegram (`rememberSharedPhone`) is verified. The audit keeps
 * which fields changed, not their values, so it holds no personal data to erase later.
 */
export async function updateAccountProfile(ctx: ServiceContext, patch: ProfilePatch) {
  const userId = customerIdOf(ctx)
  await write(ctx, async (w) => {
    const before = await profileRow(w.db, userId)
    const values: Partial<typeof customerProfiles.$inferInsert> = {}
    if (patch.phone !== undefined && patch.phone !== before?.phone) Object.assign(values, { phone: patch.phone, phoneVerified: false })
    if (patch.email !== undefined) values.email = patch.email
    if (patch.birthday !== undefined) values.birthday = patch.birthday
    if (patch.notifications) {
      const next = { ...preferences(before), ...Object.fromEntries(Object.entries(patch.notifications).filter(([, v]) => v !== undefined)) }
      values.notifications = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, next[k]])) as NotificationPreferences
    }
    if (Object.keys(values).length) {
      await w.db.insert(customerProfiles).values({ userId, ...values }).onConflictDoUpdate({ target: customerProfiles.userId, set: values })
    }
    if (patch.locale) await setUserLocale(w.db, userId, patch.locale)
    const changed = [...Object.keys(values).filter((k) => k !== 'phoneVerified'), ...(patch.locale ? ['locale'] : [])]
    if (changed.length) await w.audit({ action: 'account.profile', entityType: 'customer', entityId: userId, after: { changed, notifications: values.notifications } })
    if (changed.length) await emitIntegrationEvent(w, await customerEvent(w.db, before ? 'customer.updated' : 'customer.created', userId))
  })
  return getAccountProfile(ctx.db, userId)
}

/** A contact the customer shared from Telegram (their own: `user_id` equals the sender): stored as their verified phone. */
export async function rememberSharedPhone(ctx: ServiceContext, phone: string) {
  const userId = customerIdOf(ctx)
  const normalised = phone.replace(/[\s()-]/g, '').replace(/^(\d)/, '+$1')
  if (!/^\+\d{10,15}$/.test(normalised)) throw new DomainError('validation_failed', 'Not a phone number', 400)
  await write(ctx, async (w) => {
    const before = await profileRow(w.db, userId)
    await w.db.insert(customerProfiles).values({ userId, phone: normalised, phoneVerified: true }).onConflictDoUpdate({ target: customerProfiles.userId, set: { phone: normalised, phoneVerified: true } })
    await w.audit({ action: 'account.profile', entityType: 'customer', entityId: userId, after: { changed: ['phone'], verified: true } })
    await emitIntegrationEvent(w, await customerEvent(w.db, before ? 'customer.updated' : 'customer.created', userId))
  })
  return normalised
}

/** Customers whose stored phone contains these digits (operators' search). */
export async function customersByPhone(db: DbOrTx, digits: string) {
  const rows = await db.select({ userId: customerProfiles.userId }).from(customerProfiles).where(sql`regexp_replace(${customerProfiles.phone}, '\\D', '', 'g') like ${`%${digits}%`}`).limit(50)
  return rows.map((r) => r.userId)
}

/** The phones customers left in their profiles, by Telegram id (those without one are absent). */
export async function customerPhones(db: DbOrTx, userIds: readonly number[]): Promise<Map<number, string>> {
  if (!userIds.length) return new Map()
  const rows = await db.select({ id: customerProfiles.userId, phone: customerProfiles.phone }).from(customerProfiles).where(inArray(customerProfiles.userId, [...new Set(userIds)]))
  return new Map(rows.flatMap((r) => (r.phone ? [[r.id, r.phone] as const] : [])))
}
