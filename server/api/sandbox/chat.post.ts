import { requireSandbox, sendUserMessage } from '#server/services/sandbox'
import { SandboxChatMessageBody } from '#shared/schemas/sandbox'

/** The demo person writes to the bot; the update goes through the real webhook route. */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  const fake = requireSandbox(services)
  const { person, text } = await readValidatedBody(event, SandboxChatMessageBody.parse)
  const sent = await sendUserMessage(fake, person, text)
  setResponseStatus(event, 202)
  return sent
})
