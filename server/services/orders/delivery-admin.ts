/**
 * Delivery as the operator configures it in /admin: courier zones (prices, thresholds, and the
 * cities and post codes that match an address typed in Telegram's payment form), pickup points, and
 * whether Telegram collects the address. Checkout reads the same rows (`listDeliveryOptions`,
 * `quoteShipping`), so a change here is what the next customer sees.
 */
import { asc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { deliveryZones, pickupPoints } from '../../db/schema'
import type { DeliveryZoneInput, DeliveryZonePatch, PickupPointInput, PickupPointPatch } from '#shared/schemas/orders'
import { DomainError } from '../../utils/errors'
import { getSetting, setSetting } from '../settings'
import { TELEGRAM_SHIPPING_SETTING } from './shipping'

type ZoneRow = typeof deliveryZones.$inferSelect
type PickupRow = typeof pickupPoints.$inferSelect

const isUniqueViolation = (error: unknown) => ((error as { cause?: { code?: string } })?.cause ?? (error as { code?: string }))?.code === '23505'
const slugTaken = (slug: string) => new DomainError('conflict', `The code "${slug}" is taken`, 409, [{ path: 'slug', message: 'taken' }])

/** A slug from the English name when the operator gave none; a short suffix keeps it unique enough to retry rarely. */
function slugFrom(name: string) {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'item'
  return `${base}-${Math.random().toString(36).slice(2, 7)}`
}

/** What the admin API shows of a zone (and what the audit log keeps before and after). */
export const toDeliveryZoneDto = (z: ZoneRow) => ({
  id: z.id,
  slug: z.slug,
  name: z.name,
  description: z.description,
  priceMinor: z.priceMinor,
  freeFromMinor: z.freeFromMinor,
  minOrderMinor: z.minOrderMinor,
  etaMinutes: z.etaMinutes,
  isActive: z.isActive,
  countryCode: z.countryCode,
  cities: z.cities,
  postCodePrefixes: z.postCodePrefixes,
})
export const toPickupPointDto = (p: PickupRow) => ({ id: p.id, slug: p.slug, name: p.name, address: p.address, hours: p.hours, isActive: p.isActive })

/** Every zone, inactive ones too, in the order checkout offers them (cheapest first). */
export function listDeliveryZonesForAdmin(db: DbOrTx) {
  return db.select().from(deliveryZones).orderBy(asc(deliveryZones.priceMinor), asc(deliveryZones.id))
}

export async function createDeliveryZone(tx: DbOrTx, input: DeliveryZoneInput) {
  const slug = input.slug ?? slugFrom(input.name.en)
  try {
    const [row] = await tx.insert(deliveryZones).values({ ...input, slug }).returning()
    return row!
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(slug)
    throw error
  }
}

/**
 * Changes a zone; returns before and after for the audit log. Zones are never deleted (orders keep
 * pointing at theirs): `isActive: false` takes one off checkout.
 */
export async function updateDeliveryZone(tx: DbOrTx, id: number, patch: DeliveryZonePatch) {
  const [before] = await tx.select().from(deliveryZones).where(eq(deliveryZones.id, id)).for('update')
  if (!before) throw new DomainError('not_found', 'No such delivery zone')
  try {
    const [after] = await tx.update(deliveryZones).set(patch).where(eq(deliveryZones.id, id)).returning()
    return { before, after: after! }
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(patch.slug ?? before.slug)
    throw error
  }
}

/** Every pickup point, inactive ones too. */
export function listPickupPointsForAdmin(db: DbOrTx) {
  return db.select().from(pickupPoints).orderBy(asc(pickupPoints.id))
}

export async function createPickupPoint(tx: DbOrTx, input: PickupPointInput) {
  const slug = input.slug ?? slugFrom(input.name.en)
  try {
    const [row] = await tx.insert(pickupPoints).values({ ...input, slug }).returning()
    return row!
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(slug)
    throw error
  }
}

/** Changes a pickup point; like zones, points are deactivated rather than deleted. */
export async function updatePickupPoint(tx: DbOrTx, id: number, patch: PickupPointPatch) {
  const [before] = await tx.select().from(pickupPoints).where(eq(pickupPoints.id, id)).for('update')
  if (!before) throw new DomainError('not_found', 'No such pickup point')
  try {
    const [after] = await tx.update(pickupPoints).set(patch).where(eq(pickupPoints.id, id)).returning()
    return { before, after: after! }
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(patch.slug ?? before.slug)
    throw error
  }
}

/** Whether Telegram collects the delivery address in its payment form (off unless set). */
export async function getTelegramShippingSetting(db: DbOrTx) {
  return (await getSetting<boolean>(db, TELEGRAM_SHIPPING_SETTING)) === true
}

/** Turns Telegram's address collection on or off; returns before and after for the audit log. */
export async function setTelegramShippingSetting(tx: DbOrTx, enabled: boolean) {
  const before = await getTelegramShippingSetting(tx)
  await setSetting(tx, TELEGRAM_SHIPPING_SETTING, enabled)
  return { before, after: enabled }
}
