/**
 * Delivery as the operator configures it in /admin: courier zones (prices, thresholds, and the
 * cities and post codes that match an address typed in Telegram's payment form), pickup points, and
 * whether Telegram collects the address. Checkout reads the same rows (`listDeliveryOptions`,
 * `quoteShipping`), so a change here is what the next customer sees.
 */
import { asc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { isUniqueViolation } from '../../db/results'
import { deliveryZones, pickupPoints } from '../../db/schema/delivery'
import type { DeliveryZoneInput, DeliveryZonePatch, PickupPointInput, PickupPointPatch } from '#shared/schemas/orders'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext } from '../context'
import { getSetting, storeSetting } from '../settings'
import { TELEGRAM_SHIPPING_SETTING } from './shipping'

type ZoneRow = typeof deliveryZones.$inferSelect
type PickupRow = typeof pickupPoints.$inferSelect

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

/** Adds a courier zone (audited). */
export async function createDeliveryZone(ctx: ServiceContext, input: DeliveryZoneInput) {
  const slug = input.slug ?? slugFrom(input.name.en)
  return write(ctx, async (w) => {
    const [row] = await w.db
      .insert(deliveryZones)
      .values({ ...input, slug })
      .returning()
      .catch((error) => {
        throw isUniqueViolation(error) ? slugTaken(slug) : error
      })
    await w.audit({ action: 'delivery_zone.create', entityType: 'delivery_zone', entityId: row!.id, after: toDeliveryZoneDto(row!) })
    return row!
  })
}

/**
 * Changes a zone (audited with before and after). Zones are never deleted (orders keep pointing at
 * theirs): `isActive: false` takes one off checkout.
 */
export async function updateDeliveryZone(ctx: ServiceContext, id: number, patch: DeliveryZonePatch) {
  return write(ctx, async (w) => {
    const [before] = await w.db.select().from(deliveryZones).where(eq(deliveryZones.id, id)).for('update')
    if (!before) throw new DomainError('not_found', 'No such delivery zone')
    const [after] = await w.db
      .update(deliveryZones)
      .set(patch)
      .where(eq(deliveryZones.id, id))
      .returning()
      .catch((error) => {
        throw isUniqueViolation(error) ? slugTaken(patch.slug ?? before.slug) : error
      })
    await w.audit({ action: 'delivery_zone.update', entityType: 'delivery_zone', entityId: id, before: toDeliveryZoneDto(before), after: toDeliveryZoneDto(after!) })
    return { before, after: after! }
  })
}

/** Every pickup point, inactive ones too. */
export function listPickupPointsForAdmin(db: DbOrTx) {
  return db.select().from(pickupPoints).orderBy(asc(pickupPoints.id))
}

/** Adds a pickup point (audited). */
export async function createPickupPoint(ctx: ServiceContext, input: PickupPointInput) {
  const slug = input.slug ?? slugFrom(input.name.en)
  return write(ctx, async (w) => {
    const [row] = await w.db
      .insert(pickupPoints)
      .values({ ...input, slug })
      .returning()
      .catch((error) => {
        throw isUniqueViolation(error) ? slugTaken(slug) : error
      })
    await w.audit({ action: 'pickup_point.create', entityType: 'pickup_point', entityId: row!.id, after: toPickupPointDto(row!) })
    return row!
  })
}

/** Changes a pickup point (audited); like zones, points are deactivated rather than deleted. */
export async function updatePickupPoint(ctx: ServiceContext, id: number, patch: PickupPointPatch) {
  return write(ctx, async (w) => {
    const [before] = await w.db.select().from(pickupPoints).where(eq(pickupPoints.id, id)).for('update')
    if (!before) throw new DomainError('not_found', 'No such pickup point')
    const [after] = await w.db
      .update(pickupPoints)
      .set(patch)
      .where(eq(pickupPoints.id, id))
      .returning()
      .catch((error) => {
        throw isUniqueViolation(error) ? slugTaken(patch.slug ?? before.slug) : error
      })
    await w.audit({ action: 'pickup_point.update', entityType: 'pickup_point', entityId: id, before: toPickupPointDto(before), after: toPickupPointDto(after!) })
    return { before, after: after! }
  })
}

/** Whether Telegram collects the delivery address in its payment form (off unless set). */
export async function getTelegramShippingSetting(db: DbOrTx) {
  return (await getSetting<boolean>(db, TELEGRAM_SHIPPING_SETTING)) === true
}

/** Turns Telegram's address collection on or off (audited as a setting). */
export async function setTelegramShippingSetting(ctx: ServiceContext, enabled: boolean) {
  return write(ctx, async (w) => {
    const before = await getTelegramShippingSetting(w.db)
    await storeSetting(w, TELEGRAM_SHIPPING_SETTING, enabled)
    await w.audit({ action: 'setting.update', entityType: 'setting', entityId: TELEGRAM_SHIPPING_SETTING, before: { value: before }, after: { value: enabled } })
    return { before, after: enabled }
  })
}
