import { addCustomerNote } from '#server/services/account/admin'
import { CustomerNoteSchema, CustomerParamsSchema } from '#shared/schemas/account'

/** A note on the customer, for staff only (201, audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'customers.manage')
  const { id } = await getValidatedRouterParams(event, CustomerParamsSchema.parse)
  const { body } = await readValidatedBody(event, CustomerNoteSchema.parse)
  const note = await addCustomerNote(ctx, id, body)
  setResponseStatus(event, 201)
  return { id: note.id, body: note.body, createdAt: note.createdAt.toISOString() }
})
