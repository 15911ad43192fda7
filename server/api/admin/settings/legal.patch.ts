import { updateLegalDetails } from '#server/services/account/legal'
import { LegalDetailsSchema } from '#shared/schemas/account'

/** Sets the legal details (name, tax number, address, taxes line, receipt footer); audited. Receipts issued later print them. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'settings.write')
  const input = await readValidatedBody(event, LegalDetailsSchema.parse)
  return updateLegalDetails(ctx, input)
})
