import { and, asc, eq, inArray, isNull, lte, not, like, or } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { supportConversations, supportMessages } from '../../db/schema/support'
import { OperatorGroupSchema, type OperatorGroup } from '#shared/schemas/support'
import { getSetting, storeSetting } from '../settings'
import { write, type ServiceContext } from '../context'

const GROUP_KEY = 'support.operator_group'

/** Telegram's limit on a forum topic's name. */
const TOPIC_NAME_MAX = 128

/** The operators' Telegram group (a supergroup with topics), or null when the business has none. */
export async function getOperatorGroup(db: DbOrTx): Promise<OperatorGroup> {
  const stored = OperatorGroupSchema.safeParse(await getSetting(db, GROUP_KEY))
  return stored.success ? stored.data : { chatId: null }
}

/** Staff connect (or disconnect) the operators' group; audited like every setting. */
export async function setOperatorGroup(ctx: ServiceContext, group: OperatorGroup) {
  return write(ctx, async (w) => {
    const before = await getOperatorGroup(w.db)
    await storeSetting(w, GROUP_KEY, group)
    await w.audit({ action: 'support.operator_group', entityType: 'setting', entityId: GROUP_KEY, before, after: group })
    return group
  })
}

/** A topic's name: the customer's name and the conversation number, within Telegram's 128 characters. */
export function topicName(customerName: string, conversationId: number) {
  const suffix = ` #${conversationId}`
  return `${customerName.replace(/\s+/g, ' ').trim().slice(0, TOPIC_NAME_MAX - suffix.length) || 'Customer'}${suffix}`
}

/** The conversation a forum topic belongs to, or undefined (another topic of the group, or General). */
export async function conversationByTopic(db: DbOrTx, chatId: number, threadId: number) {
  const [row] = await db
    .select()
    .from(supportConversations)
    .where(and(eq(supportConversations.topicChatId, chatId), eq(supportConversations.topicThreadId, threadId)))
  return row
}

/** The topic was created in Telegram: remember it on the conversation. */
export async function recordTopic(db: DbOrTx, conversationId: number, chatId: number | null, threadId: number | null) {
  await db.update(supportConversations).set({ topicChatId: chatId, topicThreadId: threadId }).where(eq(supportConversations.id, conversationId))
}

/** The message was copied into the conversation's topic. */
export async function recordTopicCopy(db: DbOrTx, messageId: number, topicMessageId: number) {
  await db.update(supportMessages).set({ topicMessageId }).where(eq(supportMessages.id, messageId))
}

/**
 * What a topic still lacks, oldest first, up to `upToId`: customer messages, and answers written
 * in /admin (an answer written in the topic is there already). Notes and automatic answers stay out.
 */
export async function messagesToRelay(db: DbOrTx, conversationId: number, upToId: number) {
  const m = supportMessages
  return db
    .select()
    .from(m)
    .where(and(eq(m.conversationId, conversationId), lte(m.id, upToId), isNull(m.topicMessageId), inArray(m.kind, ['customer', 'operator']), or(eq(m.kind, 'customer'), isNull(m.sourceKey), not(like(m.sourceKey, 'tg:%')))))
    .orderBy(asc(m.id))
    .limit(50)
}
