import { pressInlineButton, requireSandbox } from '#server/services/sandbox'
import { SandboxCallbackBody } from '#shared/schemas/sandbox'

/** The demo person presses an inline button: a callback_query update through the webhook. */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  const fake = requireSandbox(services)
  const { person, messageId, data } = await readValidatedBody(event, SandboxCallbackBody.parse)
  return pressInlineButton(fake, person, messageId, data)
})
