import { describeInvoice, requireSandbox } from '#server/services/sandbox'
import { SandboxInvoiceParams } from '#shared/schemas/sandbox'

/** An invoice link as the payment sheet shows it: title, amounts, and whether it asks for an address. */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  const fake = requireSandbox(services)
  const { slug } = await getValidatedRouterParams(event, SandboxInvoiceParams.parse)
  return describeInvoice(fake, slug)
})
