import { askShipping, requireSandbox } from '#server/services/sandbox'
import { SandboxShippingBody } from '#shared/schemas/sandbox'

/** The payment sheet's address form: a shipping_query through the webhook; the bot's options or its refusal. */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  const fake = requireSandbox(services)
  const { person, link, address } = await readValidatedBody(event, SandboxShippingBody.parse)
  return askShipping(fake, person, link, address)
})
