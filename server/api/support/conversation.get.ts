import { customerConversation, markReadByCustomer } from '#server/services/support'
import { toCustomerConversationDto, toCustomerMessageDto } from '#server/services/support/dto'
import { supportAvailability } from '#server/services/support/hours'

/** The customer's conversation with the business (the open one, else the last), and whether operators are at work now. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const [found, availability] = await Promise.all([customerConversation(ctx.db, ctx.actor.userId!), supportAvailability(ctx.db)])
  if (found) await markReadByCustomer(ctx.db, found.conversation.id)
  return {
    availability: { online: availability.online, expectedReplyMinutes: availability.expectedReplyMinutes },
    conversation: found ? toCustomerConversationDto(found.conversation) : null,
    messages: found ? found.messages.map(toCustomerMessageDto) : [],
  }
})
