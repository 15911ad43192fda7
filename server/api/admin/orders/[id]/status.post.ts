import { useServices } from '../../../../utils/runtime'
import { auditContext, requireRole } from '../../../../utils/auth'
import { DomainError } from '../../../../utils/errors'
import { staffTransitions, getOrder, transitionOrder } from '../../../../services/orders'
import { toOrderDetailDto, toOrderDto } from '../../../../services/orders/dto'
import { recordAudit } from '../../../../services/audit'
import { enqueueOrderNotification } from '../../../../jobs/notifications'
import { OrderParamsSchema, OrderStatusChangeSchema } from '#shared/schemas/orders'

/** An operator moves the order along the status machine, with a note; audited in the same transaction. */
export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'orders.manage')
  const { id } = await getValidatedRouterParams(event, OrderParamsSchema.parse)
  const { status, note } = await readValidatedBody(event, OrderStatusChangeSchema.parse)
  const services = await useServices()
  if (status === 'paid' || status === 'refunded') {
    throw new DomainError('invalid_transition', 'Paid and refunded follow the payment: refund a payment in Payments', 409, { to: status })
  }
  await services.db.transaction(async (tx) => {
    const { before, after } = await transitionOrder(tx, id, status, { kind: 'staff', id: actor.user.id }, note)
    await recordAudit(tx, { ...auditContext(event, services, actor), action: 'order.status', entityType: 'order', entityId: id, before: toOrderDto(before), after: { ...toOrderDto(after), note } })
  })
  await enqueueOrderNotification(services, id, status)
  const order = await getOrder(services.db, id)
  return { ...toOrderDetailDto(order), customerTelegramId: order.userId, allowedStatuses: staffTransitions(order) }
})
