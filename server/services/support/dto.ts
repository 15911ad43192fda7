import type { ArticleRow } from './articles'
import type { ConversationRow, MessageRow } from './index'

/** An article in a list: the title and the first lines of the body, in both languages (the app picks). */
export function toArticleListDto(a: ArticleRow) {
  const excerpt = (text: string) => (text.length > 160 ? `${text.slice(0, 157).trimEnd()}…` : text)
  return { slug: a.slug, category: a.category, title: a.title, excerpt: { ru: excerpt(a.body.ru), en: excerpt(a.body.en) } }
}

/** A whole article as customers read it (plain text: the app never renders it as HTML). */
export function toArticleDto(a: ArticleRow) {
  return { slug: a.slug, category: a.category, title: a.title, body: a.body, updatedAt: a.updatedAt }
}

/** An article for staff, with its "did this help?" counts. */
export function toAdminArticleDto(a: ArticleRow) {
  return { id: a.id, ...toArticleDto(a), position: a.position, published: a.published, helpfulYes: a.helpfulYes, helpfulNo: a.helpfulNo }
}

/** A message as the customer sees it: who wrote (they or the business), what, when; files by kind and name only. */
export function toCustomerMessageDto(m: MessageRow) {
  return {
    id: m.id,
    from: m.kind === 'customer' ? ('customer' as const) : ('business' as const),
    text: m.text,
    attachment: m.attachment ? { kind: m.attachment.kind, fileName: m.attachment.fileName ?? null } : null,
    createdAt: m.createdAt,
  }
}

export function toCustomerConversationDto(c: ConversationRow) {
  return { id: c.id, status: c.status, rating: c.rating, createdAt: c.createdAt, closedAt: c.closedAt }
}

/** A message for operators: every kind, with its delivery state and the error when it did not arrive. */
export function toStaffMessageDto(m: MessageRow, names: Map<number, string>) {
  return {
    id: m.id,
    kind: m.kind,
    authorId: m.authorId,
    authorName: m.authorId ? (names.get(m.authorId) ?? null) : null,
    text: m.text,
    attachment: m.attachment,
    delivery: m.delivery,
    deliveryError: m.deliveryError,
    createdAt: m.createdAt,
  }
}

/** A conversation row of the inbox, with SLA timers' inputs. */
export function toInboxItemDto(c: ConversationRow, names: Map<number, string>) {
  return {
    id: c.id,
    status: c.status,
    customerId: c.customerId,
    customerName: names.get(c.customerId) ?? String(c.customerId),
    assigneeId: c.assigneeId,
    assigneeName: c.assigneeId ? (names.get(c.assigneeId) ?? null) : null,
    unread: c.unreadForStaff,
    lastMessageAt: c.lastMessageAt,
    lastMessagePreview: c.lastMessagePreview,
    articleSlug: c.articleSlug,
    orderId: c.orderId,
    createdAt: c.createdAt,
    firstResponseAt: c.firstResponseAt,
    closedAt: c.closedAt,
    rating: c.rating,
    ratingComment: c.ratingComment,
  }
}
