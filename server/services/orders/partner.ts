/** Orders as the partner REST API lists them (server/services/partner-api): newest first, by status and "changed since". */
import { and, desc, gte, inArray, lt } from 'drizzle-orm'
import type { z } from 'zod'
import type { V1OrdersQuerySchema } from '#shared/schemas/partner-api'
import type { DbOrTx } from '../../db/client'
import { orders } from '../../db/schema/orders'
import { toOrderDto } from './dto'

export async function listOrdersForPartner(db: DbOrTx, query: z.output<typeof V1OrdersQuerySchema>) {
  const filters = []
  if (query.status?.length) filters.push(inArray(orders.status, query.status))
  if (query.updatedSince) filters.push(gte(orders.updatedAt, query.updatedSince))
  if (query.before) filters.push(lt(orders.id, query.before))
  const rows = await db
    .select()
    .from(orders)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(orders.id))
    .limit(query.limit + 1)
  const items = rows.slice(0, query.limit).map((o) => ({ ...toOrderDto(o), customerTelegramId: o.userId }))
  return { items, nextBefore: rows.length > query.limit ? items[query.limit - 1]!.id : null }
}
