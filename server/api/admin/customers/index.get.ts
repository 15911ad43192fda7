import { searchCustomers } from '#server/services/account/admin'
import { AdminCustomersQuerySchema } from '#shared/schemas/account'

/** Customers by name, @username, Telegram id, phone or order number. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'customers.read')
  const query = await getValidatedQuery(event, AdminCustomersQuerySchema.parse)
  return { items: await searchCustomers(ctx.db, query) }
})
