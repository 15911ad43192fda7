import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm'
import { orderItems, orderStatusHistory, orders, type OrderStatus } from '../../db/schema/orders'
import type { HistoryItem } from '#shared/schemas/account'
import type { AccountSection } from '../account/registry'
import { toOrderDetailDto } from './dto'
import { getOrder, orderIdByNumber, type OrderRow } from './index'
import { containsPattern } from '../../db/like'

/** What the customer does next with an order, as a code the Mini App words. */
export function orderNextStep(order: Pick<OrderRow, 'status' | 'deliveryMethod' | 'paymentMethod'>): string | null {
  switch (order.status as OrderStatus) {
    case 'awaiting_payment':
      return 'pay'
    case 'ready':
      return order.deliveryMethod === 'pickup' ? 'pick_up' : 'wait'
    case 'new':
    case 'paid':
    case 'in_progress':
    case 'shipped':
      return 'wait'
    default:
      return null
  }
}

/** The orders module's part of the personal account: history, export, erasure, customer search. */
export const ordersAccountSection: AccountSection = {
  key: 'orders',
  async history(db, userId, { before, limit, q }) {
    const filters = [eq(orders.userId, userId)]
    if (before) filters.push(lt(orders.createdAt, before))
    if (q) {
      const pattern = containsPattern(q)
      filters.push(
        sql`(${orders.number} ilike ${pattern} or exists (select 1 from ${orderItems} where ${orderItems.orderId} = ${orders.id} and (${orderItems.name}->>'ru' ilike ${pattern} or ${orderItems.name}->>'en' ilike ${pattern})))`,
      )
    }
    const rows = await db.select().from(orders).where(and(...filters)).orderBy(desc(orders.createdAt), desc(orders.id)).limit(limit)
    return rows.map(
      (o): HistoryItem => ({
        module: 'orders',
        id: String(o.id),
        title: o.number,
        status: o.status,
        nextStep: orderNextStep(o),
        amountMinor: o.totalMinor,
        currency: o.currency,
        link: `/app/orders/${o.id}`,
        at: o.createdAt.toISOString(),
      }),
    )
  },
  async exportData(db, userId) {
    const ids = await db.select({ id: orders.id }).from(orders).where(eq(orders.userId, userId)).orderBy(orders.id)
    const out = []
    for (const { id } of ids) out.push(toOrderDetailDto(await getOrder(db, id, userId)))
    return out
  },
  async erase(w, userId, placeholderId) {
    // Money records stay (accounting), without who: contact, comment and address are blanked.
    const moved = await w.db
      .update(orders)
      .set({
        userId: placeholderId,
        contactName: '—',
        contactPhone: '—',
        comment: null,
        address: sql`case when ${orders.address} is null then null else '{"text":"—"}'::jsonb end`,
        shippingAddress: sql`case when ${orders.shippingAddress} is null then null else jsonb_build_object('country_code', ${orders.shippingAddress}->>'country_code', 'state', '', 'city', '', 'street_line1', '', 'street_line2', '', 'post_code', '') end`,
      })
      .where(eq(orders.userId, userId))
      .returning({ id: orders.id })
    const ids = moved.map((m) => m.id)
    if (ids.length) await w.db.update(orderStatusHistory).set({ actorId: null }).where(and(inArray(orderStatusHistory.orderId, ids), eq(orderStatusHistory.actorId, userId)))
    return { ordersAnonymised: ids.length }
  },
  async findCustomers(db, q) {
    const id = await orderIdByNumber(db, q)
    if (!id) return []
    const [row] = await db.select({ userId: orders.userId }).from(orders).where(eq(orders.id, id))
    return row ? [row.userId] : []
  },
}
