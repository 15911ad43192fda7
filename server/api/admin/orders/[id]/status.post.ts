import { changeOrderStatusAsStaff, getOrder } from '#server/services/orders'
import { toAdminOrderDto } from '#server/services/orders/dto'
import { OrderParamsSchema, OrderStatusChangeSchema } from '#shared/schemas/orders'

/** An operator moves the order along the status machine, with a note; audited, the customer told in the chat. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'orders.manage')
  const { id } = await getValidatedRouterParams(event, OrderParamsSchema.parse)
  const { status, note } = await readValidatedBody(event, OrderStatusChangeSchema.parse)
  await changeOrderStatusAsStaff(ctx, id, status, note)
  return toAdminOrderDto(await getOrder(ctx.db, id))
})
