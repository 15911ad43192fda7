/**
 * Delivery as checkout and orders see it: the active pickup points and courier zones, and what a
 * zone charges for an order. The operator edits them in /admin (./admin.ts); Telegram's own
 * address form is priced in ./shipping.ts.
 */
import { and, asc, eq, sql } from 'drizzle-orm'
import { preparedPer } from '../../db/prepared'
import type { DbOrTx } from '../../db/client'
import { deliveryZones, pickupPoints } from '../../db/schema/delivery'
import { DomainError } from '../../utils/errors'

export type DeliveryZoneRow = typeof deliveryZones.$inferSelect
export type PickupPointRow = typeof pickupPoints.$inferSelect

/** Delivery cost for a zone: free from the threshold, refused below the zone's minimum. */
export function deliveryPrice(zone: Pick<DeliveryZoneRow, 'priceMinor' | 'freeFromMinor' | 'minOrderMinor'>, itemsTotalMinor: number) {
  if (itemsTotalMinor < zone.minOrderMinor) throw new DomainError('below_minimum_order', 'The order is below the minimum for this delivery zone', 409, { minOrderMinor: zone.minOrderMinor })
  return zone.freeFromMinor !== null && itemsTotalMinor >= zone.freeFromMinor ? 0 : zone.priceMinor
}

/** What checkout offers: active pickup points, and active zones cheapest first. */
export async function listDeliveryOptions(db: DbOrTx) {
  const [points, zones] = await Promise.all([
    db.select().from(pickupPoints).where(eq(pickupPoints.isActive, true)).orderBy(asc(pickupPoints.id)),
    db.select().from(deliveryZones).where(eq(deliveryZones.isActive, true)).orderBy(asc(deliveryZones.priceMinor)),
  ])
  return { pickupPoints: points, deliveryZones: zones }
}

/** An active courier zone, or not_found (a zone switched off since the customer saw checkout). */
export async function activeDeliveryZone(db: DbOrTx, id: number): Promise<DeliveryZoneRow> {
  const [zone] = await db.select().from(deliveryZones).where(and(eq(deliveryZones.id, id), eq(deliveryZones.isActive, true)))
  if (!zone) throw new DomainError('not_found', 'No such delivery zone')
  return zone
}

/** An active pickup point, or not_found. */
export async function activePickupPoint(db: DbOrTx, id: number): Promise<PickupPointRow> {
  const [point] = await db.select().from(pickupPoints).where(and(eq(pickupPoints.id, id), eq(pickupPoints.isActive, true)))
  if (!point) throw new DomainError('not_found', 'No such pickup point')
  return point
}

const pointById = preparedPer((db) => db.select().from(pickupPoints).where(eq(pickupPoints.id, sql.placeholder('id'))).prepare('pickup_point_by_id'))

/** A pickup point by id, active or not (an order keeps naming the point it was placed for). */
export async function pickupPointById(db: DbOrTx, id: number): Promise<PickupPointRow | undefined> {
  const [point] = await pointById(db).execute({ id })
  return point
}
