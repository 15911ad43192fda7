import { sql, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { firstRow } from '../../db/results'
import type { BroadcastSegment } from '#shared/schemas/broadcasts'
import { newsSubscribersSql } from '../account/segments'
import { reachableUsersSql } from '../auth/segments'
import { bookersSql } from '../booking/segments'
import { productIdsInCategoriesSql } from '../catalog/segments'
import { buyersSql } from '../orders/segments'

/**
 * The customers a segment finds now, as `select user_id, locale`: always only those who opted in
 * to news and have not blocked the bot; "bought" (products, categories with their subcategories)
 * and "booked" (services) widen to any of them; language and last seen narrow.
 */
export function audienceSql(segment: BroadcastSegment): SQL {
  const anyOf: SQL[] = []
  if (segment.productIds.length || segment.categoryIds.length) anyOf.push(buyersSql(segment.productIds, segment.categoryIds.length ? productIdsInCategoriesSql(segment.categoryIds) : null))
  if (segment.serviceIds.length) anyOf.push(bookersSql(segment.serviceIds))
  return reachableUsersSql({ allOf: [newsSubscribersSql()], anyOf, locales: segment.locales, lastSeenDays: segment.lastSeenDays })
}

/** How many a segment reaches now, in all and per language (the compose screen shows it live). */
export async function countAudience(db: DbOrTx, segment: BroadcastSegment) {
  const row = firstRow<{ total: number; ru: number; en: number }>(
    await db.execute(sql`select count(*)::int as total, count(*) filter (where a.locale = 'ru')::int as ru, count(*) filter (where a.locale = 'en')::int as en from (${audienceSql(segment)}) a`),
  )
  return { total: Number(row?.total ?? 0), ru: Number(row?.ru ?? 0), en: Number(row?.en ?? 0) }
}
