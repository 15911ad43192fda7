import { answerContactRequest, requireSandbox } from '#server/services/sandbox'
import { SandboxContactBody } from '#shared/schemas/sandbox'

const MAX_BODY_BYTES = 1024

/** The demo person shares their phone number with the Mini App (or declines), as Telegram's dialog would. */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  const fake = requireSandbox(services)
  if (Number(getHeader(event, 'content-length') ?? 0) > MAX_BODY_BYTES) throw apiError('payload_too_large', 'The answer is larger than 1 KB')
  const { person, share } = await readValidatedBody(event, SandboxContactBody.parse)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return answerContactRequest(fake, person, share)
})
