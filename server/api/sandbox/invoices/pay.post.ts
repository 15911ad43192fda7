import { payInvoice, requireSandbox } from '#server/services/sandbox'
import { SandboxInvoicePayBody } from '#shared/schemas/sandbox'

/**
 * The payment sheet's answer. "paid" drives pre_checkout_query -> successful_payment through the
 * webhook ("pending" too, with successful_payment a few seconds later); the result is what the Mini
 * App's openInvoice resolves with (paid | cancelled | failed | pending).
 */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  const fake = requireSandbox(services)
  const { person, link, outcome, shipping } = await readValidatedBody(event, SandboxInvoicePayBody.parse)
  return payInvoice(fake, person, link, outcome, shipping)
})
