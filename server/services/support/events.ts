/** The integration events support emits (docs/integrations.md): which conversation, whose, its state; never the messages. */
import type { ConversationEventPayload } from '#shared/schemas/integrations'
import type { supportConversations } from '../../db/schema/support'
import type { IntegrationEventInput } from '../integrations/outbox'

export function conversationEvent(type: 'conversation.opened' | 'conversation.closed', c: typeof supportConversations.$inferSelect): IntegrationEventInput {
  const payload: ConversationEventPayload = {
    conversationId: c.id,
    status: c.status,
    customerTelegramId: c.customerId,
    orderId: c.orderId ?? null,
    openedAt: c.createdAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
  }
  return { type, aggregateType: 'conversation', aggregateId: c.id, payload }
}
