import type { DbOrTx } from '../../db/client'
import type { InboxQuery } from '#shared/schemas/support'
import { PERMISSIONS } from '#shared/permissions'
import { chatRecipient, findUserWithRoles, listStaffIds, toMeUser, userNames } from '../auth/users'
import { listCustomerOrders } from '../orders'
import { toOrderDto } from '../orders/dto'
import { toInboxItemDto, toStaffMessageDto } from './dto'
import { getConversation, inboxCounts, listInbox } from './index'

/** The inbox page as operators see it: rows with names, the next cursor and the folder counters. */
export async function inboxView(db: DbOrTx, query: InboxQuery, operatorId: number) {
  const [page, counts] = await Promise.all([listInbox(db, query, operatorId), inboxCounts(db, operatorId)])
  const names = await userNames(db, page.items.flatMap((c) => [c.customerId, ...(c.assigneeId ? [c.assigneeId] : [])]))
  return { items: page.items.map((c) => toInboxItemDto(c, names)), nextCursor: page.nextCursor, counts }
}

/**
 * One conversation for an operator: every message (notes and delivery states included), the
 * customer beside it (profile, whether they blocked the bot, recent orders) and who may be assigned.
 */
export async function conversationView(db: DbOrTx, conversationId: number) {
  const { conversation, messages } = await getConversation(db, conversationId)
  const operatorIds = await listStaffIds(db, PERMISSIONS['support.reply'])
  const names = await userNames(db, [conversation.customerId, ...operatorIds, ...messages.flatMap((m) => (m.authorId ? [m.authorId] : [])), ...(conversation.assigneeId ? [conversation.assigneeId] : [])])
  const [customer, recipient, orders] = await Promise.all([findUserWithRoles(db, conversation.customerId), chatRecipient(db, conversation.customerId), listCustomerOrders(db, conversation.customerId, 5)])
  return {
    conversation: toInboxItemDto(conversation, names),
    messages: messages.map((m) => toStaffMessageDto(m, names)),
    customer: customer ? { ...toMeUser(customer.row), blockedBot: recipient?.blocked ?? false } : null,
    orders: orders.map(toOrderDto),
    operators: operatorIds.map((id) => ({ id, name: names.get(id) ?? String(id) })),
  }
}
