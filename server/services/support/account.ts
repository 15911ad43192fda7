import { and, desc, eq, ilike, inArray, lt, or } from 'drizzle-orm'
import { supportConversations, supportMessages } from '../../db/schema/support'
import type { HistoryItem } from '#shared/schemas/account'
import type { AccountSection } from '../account/registry'
import { containsPattern } from '../../db/like'

/**
 * Support's part of the personal account: the customer's conversations in the history, every
 * message in the export, and on deletion the conversations themselves (nothing in them is a money
 * record the law makes us keep; their messages go with them).
 */
export const supportAccountSection: AccountSection = {
  key: 'support',
  async history(db, userId, { before, limit, q }) {
    const filters = [eq(supportConversations.customerId, userId)]
    if (before) filters.push(lt(supportConversations.createdAt, before))
    if (q) filters.push(or(ilike(supportConversations.lastMessagePreview, containsPattern(q)), ilike(supportConversations.articleSlug, containsPattern(q)))!)
    const rows = await db.select().from(supportConversations).where(and(...filters)).orderBy(desc(supportConversations.createdAt), desc(supportConversations.id)).limit(limit)
    return rows.map(
      (c): HistoryItem => ({
        module: 'support',
        id: String(c.id),
        title: c.lastMessagePreview?.slice(0, 80) || `#${c.id}`,
        status: c.status,
        // An operator answered and the customer has not seen it yet.
        nextStep: c.status !== 'closed' && c.unreadForCustomer > 0 ? 'reply' : null,
        amountMinor: null,
        currency: null,
        link: '/app/support',
        at: c.createdAt.toISOString(),
      }),
    )
  },
  async exportData(db, userId) {
    const conversations = await db.select().from(supportConversations).where(eq(supportConversations.customerId, userId)).orderBy(supportConversations.id)
    if (!conversations.length) return []
    const messages = await db
      .select()
      .from(supportMessages)
      .where(inArray(supportMessages.conversationId, conversations.map((c) => c.id)))
      .orderBy(supportMessages.id)
    // Internal notes are the operators' own working notes about the case, not messages to or from the customer: kept out.
    return conversations.map((c) => ({
      id: c.id,
      status: c.status,
      startedAt: c.createdAt.toISOString(),
      closedAt: c.closedAt?.toISOString() ?? null,
      rating: c.rating,
      ratingComment: c.ratingComment,
      messages: messages
        .filter((m) => m.conversationId === c.id && m.kind !== 'note')
        .map((m) => ({ from: m.kind === 'customer' ? 'customer' : 'business', text: m.text, attachment: m.attachment, at: m.createdAt.toISOString() })),
    }))
  },
  async erase(w, userId) {
    const removed = await w.db.delete(supportConversations).where(eq(supportConversations.customerId, userId)).returning({ id: supportConversations.id })
    return { supportConversationsDeleted: removed.length }
  },
}
