import { chatHistory, requireSandbox } from '#server/services/sandbox'
import { SandboxChatQuery } from '#shared/schemas/sandbox'

/** The demo person's chat with the bot: what the bot sent (after edits) and what the person wrote. */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  const fake = requireSandbox(services)
  const { person } = await getValidatedQuery(event, SandboxChatQuery.parse)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return { messages: chatHistory(fake, person) }
})
