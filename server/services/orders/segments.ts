import { sql, type SQL } from 'drizzle-orm'
import { orderItems, orders } from '../../db/schema/orders'

/** Orders that count as "bought": paid and on their way or done (not refunded, not cancelled, not unpaid). */
const BOUGHT = sql`('paid', 'in_progress', 'ready', 'shipped', 'done')`

/** Customers who bought any of these products, or any product of the subquery (a subquery of user ids, for segments). */
export function buyersSql(productIds: readonly number[], productSubquery: SQL | null): SQL {
  const conditions: SQL[] = []
  if (productIds.length) conditions.push(sql`${orderItems.productId} in (${sql.join(productIds.map((id) => sql`${id}`), sql`, `)})`)
  if (productSubquery) conditions.push(sql`${orderItems.productId} in (${productSubquery})`)
  if (!conditions.length) return sql`select null::bigint where false`
  return sql`select ${orders.userId} from ${orders} join ${orderItems} on ${orderItems.orderId} = ${orders.id} where ${orders.status} in ${BOUGHT} and (${sql.join(conditions, sql` or `)})`
}
